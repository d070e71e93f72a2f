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

/**
 * The mean over k×k windows of NHWC inputs, per channel (Keras AveragePooling2D); with 'same'
 * padding each mean is over the window's cells inside the input. tfjs's cpu AvgPoolGrad divides by
 * k² there instead of by that count (measured: 1/9 for a corner cell of a 3×3 window that covers
 * 4 cells), so 'same' is computed as a 'valid' pool of the explicitly zero-padded input, times k²,
 * over a constant map of counts: the same forward values and a correct gradient.
 */
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
      if (padding === 'valid') return tf.avgPool(x as tf.Tensor4D, size, stride, 'valid');
      const [h, w] = [x.shape[1]!, x.shape[2]!];
      const rows = axisGeometry(h, size, stride, 'same');
      const cols = axisGeometry(w, size, stride, 'same');
      const pads: Array<[number, number]> = [
        [0, 0],
        [rows.padBefore, rows.padAfter],
        [cols.padBefore, cols.padAfter],
        [0, 0],
      ];
      const windowSums = (t: tf.Tensor4D) => tf.mul(tf.avgPool(tf.pad(t, pads), size, stride, 'valid'), size * size);
      return tf.div(windowSums(x as tf.Tensor4D), windowSums(tf.ones([1, h, w, 1])));
    },
  };
}
