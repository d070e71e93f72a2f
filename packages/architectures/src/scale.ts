import { tf, type Layer } from '@overparam/core';

/**
 * Multiplies its input by a fixed number: the √(c_σ/m) and c_res/(H√m) factors of the Du et al.
 * nets and the γ of a deep linear net. It owns no parameters, so it needs no tap and no gradient
 * rule of its own.
 */
export function constantScale(factor: number): Layer {
  return {
    kind: 'scale',
    options: { factor },
    init: (_rng, inputShape) => ({ params: {}, state: {}, outputShape: inputShape }),
    apply: (_params, x) => (factor === 1 ? x : tf.mul(x, factor)),
  };
}
