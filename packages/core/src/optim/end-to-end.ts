import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { ConfigError } from '../errors';
import { tf } from '../tf';
import type { Optimizer } from './types';

export interface EndToEndOptions {
  /** N: the depth of the linear net whose gradient descent this rule stands in for. */
  readonly virtualDepth: number;
  /** λ of Arora et al. (2018), eq. 4 (per-layer weight decay); the end-to-end matrix decays by ηλN. Default 0. */
  readonly weightDecay?: number;
}

/** λ^e for the eigenvalues of a PSD matrix, 0^0 = 1 (so the j = 1 and j = N factors are identities). */
const psdPower = (lambda: number, e: number): number => Math.pow(lambda, e);

/**
 * Eigenvalues and vectors of a symmetric PSD matrix, with the eigenvalues that are zero up to
 * rounding set to exactly 0. WᵀW of a k × d matrix has d − k zero eigenvalues, which the solver
 * returns as ±ε‖W‖²; a fractional power would turn them into (ε‖W‖²)^{1/N}, e.g. 1e-5·‖W‖^{2/3}
 * for N = 3, a spurious direction far above float64 rounding. The cut-off is the usual numerical
 * rank threshold, size · ε · λ_max.
 */
function symmetricEigen(m: Matrix): { values: number[]; vectors: Matrix } {
  const evd = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const cutoff = m.rows * Number.EPSILON * Math.max(0, ...values);
  return { values: values.map((l) => (l > cutoff ? l : 0)), vectors: evd.eigenvectorMatrix };
}

/**
 * Arora et al. (2018), eq. 10's preconditioned gradient Σ_{j=1..N} [WWᵀ]^{(j−1)/N} G [WᵀW]^{(N−j)/N}, in
 * float64. With WWᵀ = U diag(s) Uᵀ and WᵀW = Q diag(t) Qᵀ every term is diagonal in the same bases,
 * so the sum is U [(UᵀGQ) ⊙ M] Qᵀ with M_ab = Σ_j s_a^{(j−1)/N} t_b^{(N−j)/N} (Claim 1's
 * eigenvalues): two eigendecompositions per step instead of 2N fractional powers.
 */
export function endToEndDirection(w: Matrix, g: Matrix, depth: number): Matrix {
  if (depth === 1) return g.clone();
  const left = symmetricEigen(w.mmul(w.transpose()));
  const right = symmetricEigen(w.transpose().mmul(w));
  const core = left.vectors.transpose().mmul(g).mmul(right.vectors);
  for (let a = 0; a < core.rows; a++) {
    for (let b = 0; b < core.columns; b++) {
      let m = 0;
      for (let j = 1; j <= depth; j++) m += psdPower(left.values[a]!, (j - 1) / depth) * psdPower(right.values[b]!, (depth - j) / depth);
      core.set(a, b, core.get(a, b) * m);
    }
  }
  return left.vectors.mmul(core).mmul(right.vectors.transpose());
}

/**
 * Arora et al. (2018), eq. 12, the single-output form of eq. 10: ‖W‖^{2−2/N} (G + (N − 1) Pr_W{G}) with
 * Pr_W{G} = ⟨W/‖W‖, G⟩ W/‖W‖ (and 0 at W = 0). `w` and `g` are the matrix's entries as vectors.
 */
export function endToEndDirectionSingleOutput(w: Float64Array, g: Float64Array, depth: number): Float64Array {
  let sq = 0;
  let dot = 0;
  for (let i = 0; i < w.length; i++) {
    sq += w[i]! * w[i]!;
    dot += w[i]! * g[i]!;
  }
  const gain = Math.pow(sq, 1 - 1 / depth);
  const projection = sq > 0 ? ((depth - 1) * dot) / sq : 0;
  return Float64Array.from(g, (gi, i) => gain * (gi + projection * w[i]!));
}

/**
 * The end-to-end update rule of Arora et al. (2018) (eq. 10; eq. 12 when the matrix has a single row or
 * column) as an optimizer on one weight matrix W:
 *   W ← (1 − ηλN)W − η Σ_j [WWᵀ]^{(j−1)/N} ∇L(W) [WᵀW]^{(N−j)/N}.
 * The rule is unchanged by transposition (swap j ↔ N + 1 − j), so it applies as-is to dense's
 * stored [in, out] = Wᵀ. It is the first-order (η² ≈ 0) description of gradient descent on a
 * balanced depth-N linear net, so it trains `deep-linear` with depth 1. Computed in float64 on the
 * JS side from the float32 weights and gradient; tfjs has no eigensolver.
 */
export function endToEnd(options: EndToEndOptions): Optimizer {
  const depth = options.virtualDepth;
  const weightDecay = options.weightDecay ?? 0;
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError('optimizer.virtualDepth', `must be a positive integer, got ${depth}`);
  if (!(weightDecay >= 0)) throw new ConfigError('optimizer.weightDecay', `must be ≥ 0, got ${weightDecay}`);
  return {
    name: 'end-to-end',
    step(variables, grads, learningRate) {
      if (variables.length !== 1 || variables[0]!.rank !== 2) {
        const shapes = variables.map((v) => `[${v.shape.join(', ')}]`).join(', ');
        throw new ConfigError('optimizer', `end-to-end trains a single weight matrix (deep-linear with depth 1), but the model's trainable parameters are ${shapes}`);
      }
      const v = variables[0]!;
      const [rows, cols] = v.shape as [number, number];
      const w = Float64Array.from(v.dataSync());
      const g = Float64Array.from(grads[0]!.dataSync());
      const direction =
        rows === 1 || cols === 1
          ? endToEndDirectionSingleOutput(w, g, depth)
          : Float64Array.from(endToEndDirection(Matrix.from1DArray(rows, cols, w), Matrix.from1DArray(rows, cols, g), depth).to1DArray());
      const decay = 1 - learningRate * weightDecay * depth;
      const next = Float32Array.from(w, (wi, i) => decay * wi - learningRate * direction[i]!);
      tf.tidy(() => v.assign(tf.tensor2d(next, [rows, cols])));
    },
    // The rule keeps nothing between steps: W is the whole state, and W is the model's.
    saveSlots: async () => [],
    loadSlots: async () => {},
    dispose() {},
  };
}
