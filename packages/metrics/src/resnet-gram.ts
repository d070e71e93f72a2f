import { ConfigError } from '@overparam/core';
import { pairwise, type Expectations } from './gaussian-expectations';

/**
 * The population Gram of Du et al.'s ResNet (Du et al. (2019), §6): a scaled first layer
 * x⁽¹⁾ = √(c_σ/m)·σ(W⁽¹⁾x), then x⁽ʰ⁾ = x⁽ʰ⁻¹⁾ + (c_res/(H√m))·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾) for h = 2 … H, every
 * weight N(0, 1), output aᵀx⁽ᴴ⁾ with a frozen. Derived here from that definition as m → ∞.
 *
 * Write β = c_res/H. Given the earlier layers, a row w of W⁽ʰ⁾ is N(0, I), so the pre-activations
 * (w·xᵢ, w·xⱼ) are N(0, Λᵢⱼ(K⁽ʰ⁻¹⁾)), Λᵢⱼ(K) = [[Kᵢᵢ, Kᵢⱼ], [Kᵢⱼ, Kⱼⱼ]]. Expanding ⟨x⁽ʰ⁾ᵢ, x⁽ʰ⁾ⱼ⟩:
 *
 *   ⟨xᵢ, xⱼ⟩ + (β/√m)·Σ_r (x_{i,r} σ(w_r·xⱼ) + x_{j,r} σ(w_r·xᵢ)) + (β²/m)·Σ_r σ(w_r·xᵢ) σ(w_r·xⱼ).
 *
 * The last sum tends to β² E[σ(u)σ(v)]. In the cross terms, x_{i,r} does not depend on w_r, so
 * (1/√m) Σ_r x_{i,r} σ(w_r·xⱼ) tends to μ(Kⱼⱼ)·bᵢ, where μ(k) = E_{z~N(0,k)}[σ(z)] and
 * bᵢ = (1/√m) Σ_r x_{i,r} is the limit of a layer's summed output: unlike the fully connected net,
 * the skip path keeps the non-zero mean of σ (softplus, ReLU) in the kernel. So
 *
 *   K⁽⁰⁾ = XXᵀ,  K⁽¹⁾ᵢⱼ = c_σ E[σ(u)σ(v)],                      b⁽¹⁾ᵢ = √c_σ · μ(K⁽⁰⁾ᵢᵢ)
 *   K⁽ʰ⁾ᵢⱼ = K⁽ʰ⁻¹⁾ᵢⱼ + β (bᵢ μ(Kⱼⱼ) + bⱼ μ(Kᵢᵢ)) + β² E[σ(u)σ(v)],  b⁽ʰ⁾ᵢ = b⁽ʰ⁻¹⁾ᵢ + β μ(Kᵢᵢ)
 *                                                           (h = 2 … H−1, K and b of layer h − 1)
 *   K⁽ᴴ⁾ᵢⱼ = β² · K⁽ᴴ⁻¹⁾ᵢⱼ · E[σ′(u)σ′(v)]                      (H ≥ 2; H = 1 is the fully connected net)
 *
 * The last line is the limit of the last layer's block of the NTK, G⁽ᴴ⁾ᵢⱼ =
 * (β²/m) Σ_r a_r² σ′(w_r·xᵢ) σ′(w_r·xⱼ) ⟨xᵢ, xⱼ⟩. Du et al. state λ₀ for the ResNet up to how they
 * normalize G⁽ᴴ⁾; we keep β² inside K⁽ᴴ⁾ so that K⁽ᴴ⁾ is what the network's own Gram tends to, and
 * λ_min(G⁽ᴴ⁾(0)) can be compared with λ₀ directly. Tested against wide random ResNets
 * (resnet-gram.test.ts).
 */
export function resNetGram(k0: Float64Array, n: number, depth: number, cRes: number, e: Expectations): { hidden: Float64Array[]; matrix: Float64Array } {
  if (!(cRes > 0) || !Number.isFinite(cRes)) throw new ConfigError('cRes', `must be a positive number, got ${cRes}`);
  if (depth === 1) return { hidden: [k0], matrix: pairwise(k0, n, e.cSigma, e.derivative, true) };
  const beta = cRes / depth;
  const hidden: Float64Array[] = [k0, pairwise(k0, n, e.cSigma, e.value, false)];
  let b = Float64Array.from({ length: n }, (_, i) => Math.sqrt(e.cSigma) * e.mean(k0[i * n + i]!));
  for (let h = 2; h < depth; h++) {
    const prev = hidden[h - 1]!;
    const mu = Float64Array.from({ length: n }, (_, i) => e.mean(prev[i * n + i]!));
    const branch = pairwise(prev, n, beta * beta, e.value, false);
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) next[i * n + j] = prev[i * n + j]! + beta * (b[i]! * mu[j]! + b[j]! * mu[i]!) + branch[i * n + j]!;
    }
    hidden.push(next);
    b = b.map((v, i) => v + beta * mu[i]!);
  }
  return { hidden, matrix: pairwise(hidden[depth - 1]!, n, beta * beta, e.derivative, true) };
}
