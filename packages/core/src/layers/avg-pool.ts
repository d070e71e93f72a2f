import { ShapeError } from '../errors';
import { tf } from '../tf';
import { axisGeometry, type ConvPadding } from './conv-geometry';
import type { Layer, Shape } from './types';

export interface AvgPool2dOptions {
  /** k: the window is k×k. Default 2. */
  readonly size?: number;
  /** Default equal to `size`. */
  readonly stride?: number;
  /** 'same' (padding is left out of each mean, as tf.nn.avg_pool does) or 'valid'. Default 'valid'. */
  readonly padding?: ConvPadding;
}

/** The mean over k×k windows of NHWC inputs, per channel (Keras AveragePooling2D). */
export function avgPool2d(options: AvgPool2dOptions = {}): Layer {
  const size = options.size ?? 2;
  const stride = options.stride ?? size;
  const padding = options.padding ?? 'valid';
  for (const [name, v] of [
    ['size', size],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`avgPool2d: ${name} must be a positive integer, got ${v}`);
  }
  if (padding !== 'same' && padding !== 'valid') throw new ShapeError(`avgPool2d: padding must be 'same' or 'valid', got ${JSON.stringify(padding)}`);
  return {
    kind: 'avgPool2d',
    options: { size, stride, padding },
    init(_rng, inputShape: Shape) {
      if (inputShape.length !== 3) throw new ShapeError(`avgPool2d expects inputs of shape [height, width, channels], got [${inputShape.join(', ')}]`);
      const [h, w, c] = inputShape as [number, number, number];
      if (padding === 'valid' && (size > h || size > w)) throw new ShapeError(`avgPool2d: a ${size}×${size} window does not fit a 'valid' input of ${h}×${w}; use padding 'same' or a smaller window`);
      return { params: {}, state: {}, outputShape: [axisGeometry(h, size, stride, padding).out, axisGeometry(w, size, stride, padding).out, c] };
    },
    apply(_params, x) {
      return tf.avgPool(x as tf.Tensor4D, size, stride, padding);
    },
  };
}
