import { ConfigError, ShapeError, UnknownNameError, tf, type Tensor } from '@overparam/core';
import { gaussHermite } from '@overparam/core';
import { expectations, pairwise, populationActivations, type PopulationActivation } from './gaussian-expectations';
import { resNetGram } from './resnet-gram';
import { symmetricEigenvalues } from './spectrum';

/**
 * The population Gram K⁽ᴴ⁾ of Du et al.'s scaled fully connected net (Du et al. (2019), eqs. 1–2 and
 * 21–25): x⁽ʰ⁾ = √(c_σ/m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾) for h = 1…H, f(x) = aᵀx⁽ᴴ⁾, every entry of W⁽ʰ⁾ and a
 * drawn from N(0, 1), c_σ = 1 / E_{z~N(0,1)}[σ(z)²]. What we compute, with
 * Λᵢⱼ(K) = [[Kᵢᵢ, Kᵢⱼ], [Kⱼᵢ, Kⱼⱼ]]:
 *
 *   K⁽⁰⁾ = X Xᵀ                                                  (21; rows of X scaled to ‖xᵢ‖ = 1)
 *   K⁽ʰ⁾ᵢⱼ = c_σ · E_{(u,v)~N(0, Λᵢⱼ(K⁽ʰ⁻¹⁾))}[σ(u) σ(v)],     h = 1 … H−1   (22–24)
 *   K⁽ᴴ⁾ᵢⱼ = c_σ · K⁽ᴴ⁻¹⁾ᵢⱼ · E_{(u,v)~N(0, Λᵢⱼ(K⁽ᴴ⁻¹⁾))}[σ′(u) σ′(v)]         (25)
 *   λ₀ = λ_min(K⁽ᴴ⁾)
 *
 * K⁽ᴴ⁾ is the large-width limit of G⁽ᴴ⁾(0)ᵢⱼ = ⟨∂uᵢ/∂W⁽ᴴ⁾, ∂uⱼ/∂W⁽ᴴ⁾⟩ = (c_σ/m) Σ_r a_r²
 * σ′(w_rᵀx⁽ᴴ⁻¹⁾ᵢ) σ′(w_rᵀx⁽ᴴ⁻¹⁾ⱼ) ⟨x⁽ᴴ⁻¹⁾ᵢ, x⁽ᴴ⁻¹⁾ⱼ⟩, the chain-rule form the review derives just
 * above eq. 25. (Its eq. 12 writes a further c_σ/m in front of Σ_r ∂u/∂W_r (∂u/∂W_r)ᵀ; the Jacobian
 * already carries √(c_σ/m), so read literally that would vanish as m grows. We follow the
 * derivation, which is also Du et al.'s definition, and which is what K⁽ᴴ⁾ approximates.)
 * With H = 1 there is no σ-recursion: K⁽¹⁾ = c_σ · XXᵀ ⊙ E[σ′σ′].
 *
 * Expectations: closed forms for ReLU, the arc-cosine kernels of degree 1 and 0 (Cho & Saul),
 * with θ = arccos(Kᵢⱼ/√(KᵢᵢKⱼⱼ)): E[relu(u)relu(v)] = √(KᵢᵢKⱼⱼ)·(sin θ + (π − θ) cos θ)/(2π) and
 * E[1(u>0)1(v>0)] = (π − θ)/(2π); so c_σ = 2. For identity: E[uv] = Kᵢⱼ, σ′ = 1, c_σ = 1. For the
 * smooth activations (softplus, tanh, sigmoid; the theorem assumes smooth analytic σ) a 2-D
 * tensor-product Gauss–Hermite rule (see gauss-hermite.ts); c_σ comes from the same rule, so that
 * with unit-norm inputs every Kᵢᵢ stays 1 to rounding.
 */
export { populationActivations, type PopulationActivation };
/** Which of Du et al.'s nets K⁽ᴴ⁾ is the limit kernel of (see resnet-gram.ts for the ResNet's recursion). */
export const populationArchitectures = ['fully-connected', 'resnet'] as const;
export type PopulationArchitecture = (typeof populationArchitectures)[number];

export interface PopulationGramOptions {
  readonly activation: PopulationActivation;
  /** H ≥ 1, the number of weight layers W⁽¹⁾…W⁽ᴴ⁾ before the output vector a. */
  readonly depth: number;
  /** Scale every input to unit norm, as the paper assumes. Default true. */
  readonly normalize?: boolean;
  /**
   * Gauss–Hermite points per axis for smooth activations. Default 64: for tanh ~1e-9 in E[σσ] and
   * up to ~1e-7 in E[σ′σ′] for nearly parallel inputs; sigmoid and softplus ~1e-14.
   */
  readonly nodes?: number;
  /** The fully connected net (default) or the ResNet x⁽ʰ⁾ = x⁽ʰ⁻¹⁾ + c_res/(H√m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾). */
  readonly architecture?: PopulationArchitecture;
  /** c_res of the ResNet's branches. Default 1. */
  readonly cRes?: number;
}

export interface PopulationGram {
  /** n, the number of inputs. */
  readonly size: number;
  /** K⁽ᴴ⁾, row-major n×n float64 (the Gram engine's layout). */
  readonly matrix: Float64Array;
  /** K⁽⁰⁾ … K⁽ᴴ⁻¹⁾, the population Grams of the layer outputs (index h is K⁽ʰ⁾). */
  readonly hidden: readonly Float64Array[];
  /** λ₀ = λ_min(K⁽ᴴ⁾). */
  readonly lambda0: number;
  readonly cSigma: number;
  readonly activation: PopulationActivation;
  readonly depth: number;
  readonly architecture: PopulationArchitecture;
  readonly method: 'closed-form' | 'quadrature';
}

/** Inputs as rows of float64, from a tensor [n, ...] or an array of examples. */
function inputRows(inputs: Tensor | ReadonlyArray<ArrayLike<number>>, normalize: boolean): Float64Array[] {
  let rows: Float64Array[];
  if (inputs instanceof tf.Tensor) {
    const n = inputs.shape[0] ?? 0;
    const flat = inputs.dataSync();
    const d = n === 0 ? 0 : flat.length / n;
    rows = Array.from({ length: n }, (_, i) => Float64Array.from(flat.subarray(i * d, (i + 1) * d)));
  } else rows = inputs.map((r) => Float64Array.from(r));
  if (rows.length === 0) throw new ShapeError('population Gram: no inputs; pass at least one example');
  const d = rows[0]!.length;
  rows.forEach((r, i) => {
    if (r.length !== d) throw new ShapeError(`population Gram: input ${i} has ${r.length} features, input 0 has ${d}`);
    let norm = 0;
    for (const v of r) {
      if (!Number.isFinite(v)) throw new ConfigError('inputs', `input ${i} has a non-finite value ${v}`);
      norm += v * v;
    }
    if (norm === 0) throw new ShapeError(`population Gram: input ${i} is zero; the recursion needs non-zero, non-parallel inputs`);
    if (normalize) for (let k = 0; k < d; k++) r[k] = r[k]! / Math.sqrt(norm);
  });
  return rows;
}

/** K⁽ᴴ⁾ and λ₀ = λ_min(K⁽ᴴ⁾) for inputs X (see the recursion at the top of this file). */
export function populationGram(inputs: Tensor | ReadonlyArray<ArrayLike<number>>, options: PopulationGramOptions): PopulationGram {
  const { activation, depth } = options;
  if (!populationActivations.includes(activation)) throw new UnknownNameError('ACTIVATION_UNKNOWN', 'population-Gram activation', String(activation), populationActivations);
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError('depth', `must be an integer ≥ 1 (H, the number of weight layers), got ${depth}`);
  const rows = inputRows(inputs, options.normalize ?? true);
  const n = rows.length;
  const e = expectations(activation, () => gaussHermite(options.nodes ?? 64));

  const k0 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let dot = 0;
      for (let t = 0; t < rows[i]!.length; t++) dot += rows[i]![t]! * rows[j]![t]!;
      k0[i * n + j] = dot;
      k0[j * n + i] = dot;
    }
  }
  const architecture = options.architecture ?? 'fully-connected';
  if (!populationArchitectures.includes(architecture)) throw new UnknownNameError('ARCH_UNKNOWN', 'population-Gram architecture', String(architecture), populationArchitectures);
  const { hidden, matrix } =
    architecture === 'resnet'
      ? resNetGram(k0, n, depth, options.cRes ?? 1, e)
      : (() => {
          const layers: Float64Array[] = [k0];
          for (let h = 1; h < depth; h++) layers.push(pairwise(layers[h - 1]!, n, e.cSigma, e.value, false));
          return { hidden: layers, matrix: pairwise(layers[depth - 1]!, n, e.cSigma, e.derivative, true) };
        })();
  const lambda0 = symmetricEigenvalues({ size: n, matrix }, 'population Gram')[0]!;
  return { size: n, matrix, hidden, lambda0, cSigma: e.cSigma, activation, depth, architecture, method: e.method };
}
