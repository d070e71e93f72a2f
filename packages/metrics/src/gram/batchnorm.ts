import { tf } from '@overparam/core';
import type { TapHandler } from './handlers';
import { rowProducts } from './linalg';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Batch-norm's affine parameters, y = γ·x̂ + β over the channel (last) axis. The tap reports the
 * normalized input x̂ (core's batchNorm), so an example's gradients are Σ_positions δ⊙x̂ for γ and
 * Σ_positions δ for β: a 2C-vector per example (C per replica each), compared by one product.
 * In evaluation mode x̂ uses the running statistics; in a training-mode group pass it uses the
 * group's statistics and δ is the gradient of the group's loss, whose coupling through the batch
 * statistics the backward pass has already folded into every δ, so the sum over a group's members
 * is still that group's gradient.
 */
export const batchNormHandler: TapHandler = {
  kind: 'batchNorm',
  keys: ['gamma', 'beta'],
  check(tap) {
    return tap.config.input === 'normalized' ? undefined : "the tap must report the normalized input x̂ (config.input 'normalized')";
  },
  featureSize(tap, replicas) {
    return size(tap.inputShape) + 2 * tap.outputShape[tap.outputShape.length - 1]! * replicas;
  },
  features(tap, rows) {
    const m = rows.input.shape[0]!;
    const channels = rows.input.shape[rows.input.rank - 1]!;
    const xhat = tf.reshape(rows.input, [m, -1, channels]);
    const deltas = rows.deltas.map((d) => tf.reshape(d, [m, -1, channels]));
    const parts = [];
    if (tap.keys.includes('gamma')) parts.push(...deltas.map((d) => tf.sum(tf.mul(d, xhat), 1)));
    if (tap.keys.includes('beta')) parts.push(...deltas.map((d) => tf.sum(d, 1)));
    return [parts.length === 1 ? parts[0]! : tf.concat(parts, 1)];
  },
  block(_tap, p, q) {
    return rowProducts(p[0]!, q[0]!);
  },
};
