import { tf, type Tensor } from '../tf';

/**
 * Batch norm in training mode on backends without a fused kernel (`BackendTraits.batchNormTraining`
 * = `op`; node has one, batch-norm-kernel.ts): y = γ·x̂ + β with x̂ = (x − μ)·s, as one op whose backward pass is
 * written in closed form. The caller passes the batch's centred input d = x − μ and s = 1/√(σ² + ε)
 * (it needs μ and σ² itself, for the running averages); `x` is there only so the gradient reaches it.
 *
 * Why: autodiff through the composed ops (moments, subtract, rsqrt, multiply, add) differentiates
 * each of them through its broadcasts. Profiled on node (tools/bench/profile-wrn-step.ts), that
 * added ~1,170 kernels to a WRN-16-2 step, most of them passes over [128, 32, 32, C] activations,
 * and tripled the step's time. Because x̂ has zero mean and unit (biased) variance per channel,
 * the gradients collapse to
 *
 *   ∂L/∂β = Σ g,  ∂L/∂γ = s·Σ g·d,  ∂L/∂x = γs·(g − ∂L/∂β / N − x̂·(∂L/∂γ) / N),
 *
 * with g = ∂L/∂y, sums over `axes` and N the number of values per channel: four element-wise
 * passes and two reductions, against the forward's two passes (y = d·γs + β).
 *
 * d and s reach the op through its closure, not as inputs: their dependence on x is inside the
 * formula, so the tape must not differentiate them again. The backward pass is not itself
 * differentiable (nothing here takes second derivatives through a network).
 */
export function batchNormTraining(x: Tensor, centred: Tensor, invStd: Tensor, gamma: Tensor, beta: Tensor, axes: readonly number[]): Tensor {
  const reduce = axes as number[];
  const count = reduce.reduce((n, a) => n * x.shape[a]!, 1);
  const op = tf.customGrad((...args: unknown[]) => {
    const [, g, b, save] = args as [Tensor, Tensor, Tensor, (tensors: Tensor[]) => void];
    // The tape's forward tidy disposes what the closure makes; saved tensors live until backprop.
    save([centred, invStd, g]);
    return {
      value: tf.add(tf.mul(centred, tf.mul(g, invStd)), b),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [d, s, gam] = saved as [Tensor, Tensor, Tensor];
        const grad = dy as Tensor;
        const dBeta = tf.sum(grad, reduce);
        const dGamma = tf.mul(tf.sum(tf.mul(grad, d), reduce), s);
        const scale = tf.mul(gam, s);
        // γs·(g − dβ/N − d·s·dγ/N), with the per-channel factors multiplied out first.
        const perD = tf.mul(scale, tf.mul(s, tf.div(dGamma, count)));
        const shift = tf.mul(scale, tf.div(dBeta, count));
        const dx = tf.sub(tf.sub(tf.mul(grad, scale), tf.mul(d, perD)), shift);
        return [dx, dGamma, dBeta];
      },
    };
  }) as (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor;
  return op(x, gamma, beta);
}
