import { ShapeError } from '../errors';
import { tf } from '../tf';
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
