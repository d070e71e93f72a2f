import { ShapeError } from '../errors';
import { tf } from '../tf';
import { axisGeometry, type ConvPadding } from './conv-geometry';
import { maxPoolForTraining } from './max-pool-op';
import type { Layer, Shape } from './types';

/**
 * The mean over every spatial axis: [batch, height, width, channels] → [batch, channels] (any
 * number of axes between batch and channels). The Wide ResNet's 8×8 average pool over its last
 * feature map is this at 32×32 inputs, and stays well defined at other input sizes.
 */
export function globalAvgPool(): Layer {
  return {
    kind: 'globalAvgPool',
    init(_rng, inputShape: Shape) {
      if (inputShape.length < 2) throw new ShapeError(`globalAvgPool expects inputs with spatial axes and channels, e.g. [height, width, channels], got [${inputShape.join(', ')}]`);
      return { params: {}, state: {}, outputShape: [inputShape[inputShape.length - 1]!] };
    },
    apply(_params, x) {
      return tf.mean(x, Array.from({ length: x.rank - 2 }, (_, i) => i + 1));
    },
  };
}

export interface MaxPool2dOptions {
  /** k: the window is k×k. Default 2. */
  readonly size?: number;
  /** Default equal to `size` (non-overlapping windows). */
  readonly stride?: number;
  /** TensorFlow's 'same' (output ⌈size/stride⌉; padding never wins the max) or 'valid'. Default 'same'. */
  readonly padding?: ConvPadding;
}

/**
 * Max pooling over k×k windows of NHWC inputs [batch, height, width, channels], per channel, as
 * tf.nn.max_pool (the TensorFlow MNIST tutorial's 2×2, stride 2, 'same'). The gradient goes to each
 * window's maximum: tfjs's MaxPoolGrad kernel, or our own backward pass where the backend's kernel is wrong
 * (trait `maxPoolGradient`, src/layers/max-pool-op.ts); test/max-pool.test.ts checks both against
 * finite differences per backend.
 */
export function maxPool2d(options: MaxPool2dOptions = {}): Layer {
  const size = options.size ?? 2;
  const stride = options.stride ?? size;
  const padding = options.padding ?? 'same';
  for (const [name, v] of [
    ['size', size],
    ['stride', stride],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`maxPool2d: ${name} must be a positive integer, got ${v}`);
  }
  if (padding !== 'same' && padding !== 'valid') throw new ShapeError(`maxPool2d: padding must be 'same' or 'valid', got ${JSON.stringify(padding)}`);
  return {
    kind: 'maxPool2d',
    options: { size, stride, padding },
    init(_rng, inputShape: Shape) {
      if (inputShape.length !== 3) throw new ShapeError(`maxPool2d expects inputs of shape [height, width, channels], got [${inputShape.join(', ')}]`);
      const [h, w, c] = inputShape as [number, number, number];
      if (padding === 'valid' && (size > h || size > w)) {
        throw new ShapeError(`maxPool2d: a ${size}×${size} window does not fit a 'valid' input of ${h}×${w}; use padding 'same' or a smaller window`);
      }
      return { params: {}, state: {}, outputShape: [axisGeometry(h, size, stride, padding).out, axisGeometry(w, size, stride, padding).out, c] };
    },
    apply(_params, x) {
      return maxPoolForTraining(x, size, stride, padding);
    },
  };
}
