import { tf } from '../tf';
import type { Layer } from './types';

/**
 * Softmax over the last axis. Not elementwise, so not one of the activations: an imported model
 * that ends in softmax keeps it only when asked (losses here take logits).
 */
export function softmax(): Layer {
  return {
    kind: 'softmax',
    init: (_rng, inputShape) => ({ params: {}, state: {}, outputShape: inputShape }),
    apply: (_params, x) => tf.softmax(x, -1),
  };
}
