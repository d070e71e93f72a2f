import { tf } from '@overparam/core';
import type { TapHandler } from './handlers';
import { asRows, hadamardProducts, rowProducts } from './linalg';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Dense layers z = a·W + b. Example i's gradient is a_i δ_iᵀ for W and δ_i for b (δ_i = ∂f_i/∂z_i),
 * so ⟨∇f_i, ∇f_j⟩ = (a_i·a_j + 1[bias])·(δ_i·δ_j): two small products instead of n gradients of
 * size in×out. Replicas (the NTK trace over outputs) are stacked along δ's last axis, which turns
 * δ_i·δ_j into Σ_c δ_ic·δ_jc.
 *
 * Precision: off the cpu backend, a_i·a_j and δ_i·δ_j are float32 dot products of length `in` and
 * `out·replicas`, each within γ_d·‖u‖‖v‖ (γ_d ≈ d·2⁻²⁴ in the worst case, ~√d·2⁻²⁴ typically) of
 * the exact product of the float32 inputs; their elementwise product adds a float32 rounding
 * (2⁻²⁴ relative), and every sum after it (over layers and groups) is float64. So each entry's error is at most (γ_in + γ_out)·√(G_ii G_jj) for the layer: below 5e-5
 * of the cosine scale for in = 784, typically ~1e-6. On cpu every product is float64 (linalg.ts).
 */
export const denseHandler: TapHandler = {
  kind: 'dense',
  keys: ['w', 'b'],
  featureSize(tap, replicas) {
    return size(tap.inputShape) + size(tap.outputShape) * replicas;
  },
  features(_tap, rows) {
    return tf.tidy(() => [tf.clone(asRows(rows.input)), rows.deltas.length === 1 ? tf.clone(asRows(rows.deltas[0]!)) : tf.concat(rows.deltas.map(asRows), 1)]);
  },
  async block(tap, p, q) {
    if (!tap.keys.includes('w')) return rowProducts(p[1]!, q[1]!);
    return hadamardProducts(p[0]!, q[0]!, p[1]!, q[1]!, tap.keys.includes('b') ? 1 : 0);
  },
};

