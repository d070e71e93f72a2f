import { tf } from '../tf';
import type { Layer, Shape } from './types';

/** [batch, ...shape] → [batch, ∏ shape], in row-major (NHWC) order. */
export function flatten(): Layer {
  return {
    kind: 'flatten',
    init(_rng, inputShape: Shape) {
      return { params: {}, state: {}, outputShape: [inputShape.reduce((a, b) => a * b, 1)] };
    },
    apply(_params, x) {
      return tf.reshape(x, [x.shape[0]!, -1]);
    },
  };
}
