import { ShapeError } from '../errors';

export type ConvPadding = 'same' | 'valid';

/** Where a k×k window with stride s starts and ends along one spatial axis. */
export interface AxisGeometry {
  readonly size: number;
  readonly out: number;
  /** Zero rows added before and after, TensorFlow's way ('same' puts the odd one after). */
  readonly padBefore: number;
  readonly padAfter: number;
}

export function axisGeometry(size: number, kernel: number, stride: number, padding: ConvPadding): AxisGeometry {
  if (padding === 'valid') {
    if (kernel > size) throw new ShapeError(`conv2d: a ${kernel}×${kernel} kernel does not fit a 'valid' input of size ${size}; use padding 'same' or a smaller kernel`);
    return { size, out: Math.floor((size - kernel) / stride) + 1, padBefore: 0, padAfter: 0 };
  }
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const padBefore = Math.floor(total / 2);
  return { size, out, padBefore, padAfter: total - padBefore };
}
