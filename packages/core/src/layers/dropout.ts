import { ConfigError } from '../errors';
import { tf } from '../tf';
import type { Layer } from './types';

/**
 * Inverted dropout: in training mode each value is kept with probability 1 − rate and scaled by
 * 1/(1 − rate), so evaluation mode is the identity. The mask is drawn by tfjs from a seed taken
 * from `ctx.rng`, so a run's seed fixes every mask (tfjs draws it on the JS side, the same on every
 * backend). Rate 0 (the default) is the identity in both modes and needs no randomness.
 */
export function dropout(rate = 0): Layer {
  if (!(rate >= 0 && rate < 1)) throw new ConfigError('dropout.rate', `must be in [0, 1), got ${rate}`);
  return {
    kind: 'dropout',
    options: { rate },
    init: (_rng, inputShape) => ({ params: {}, state: {}, outputShape: inputShape }),
    apply(_params, x, ctx) {
      if (!ctx.training || rate === 0) return x;
      if (ctx.rng === undefined) {
        throw new ConfigError('dropout', `training-mode dropout at '${ctx.path}' needs a seeded source of randomness: pass { rng } to model.apply (train() does)`);
      }
      const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', ctx.rng.seed()), rate);
      return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - rate)));
    },
  };
}
