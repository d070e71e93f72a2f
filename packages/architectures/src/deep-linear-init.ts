import { ConfigError, resolveInitializer, type Rng } from '@overparam/core';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/** The initializations of a deep linear network that the papers compare. */
export const deepLinearInitNames = ['near-zero', 'near-identity', 'orthogonal', 'balanced', 'strategy-4.1'] as const;
export type DeepLinearInit = (typeof deepLinearInitNames)[number];

export interface DeepLinearInitOptions {
  readonly init: DeepLinearInit;
  /** Std of the Gaussian entries (near-zero, the noise of near-identity, the end-to-end draw of balanced). */
  readonly std: number;
  /** κ of Strategy 4.1. */
  readonly kappa: number;
}

function gaussian(rng: Rng, rows: number, cols: number, std: number): Matrix {
  const values = new Float64Array(rows * cols);
  rng.fillNormal(values, std);
  return Matrix.from1DArray(rows, cols, values);
}

/** A core initializer's draw for a `rows × cols` matrix (W_j is out × in, so fan-in is `cols`). */
function fromCore(rng: Rng, rows: number, cols: number, spec: Parameters<typeof resolveInitializer>[0], isFirstLayer: boolean): Matrix {
  const values = resolveInitializer(spec)(rng, [rows, cols], { fanIn: cols, fanOut: rows, isFirstLayer });
  return Matrix.from1DArray(rows, cols, Float64Array.from(values));
}

/**
 * Balanced initialization (Arora et al. (2018), eq. 7: W_{j+1}ᵀW_{j+1} = W_jW_jᵀ). Arora et al. (2018) only notes that
 * near-zero and identity inits satisfy it approximately or exactly; the construction here is
 * Procedure 1 of the same authors' follow-up (Arora, Cohen, Golowich & Hu, ICLR 2019): draw an
 * end-to-end matrix A, take its SVD A = UΣVᵀ truncated to r = min(widths) singular values, and set
 * W_j = P_j Σ^{1/N} P_{j−1}ᵀ with P_0 = V, P_N = U and, for hidden layers, P_j an n_j × r matrix
 * with random orthonormal columns. Then W_{j+1}ᵀW_{j+1} = P_jΣ^{2/N}P_jᵀ = W_jW_jᵀ and the product
 * is the rank-r truncation of A. The random P_j (rather than zero-padded identities) keep hidden
 * units that are not needed for rank r from being exactly dead.
 */
function balanced(rng: Rng, dims: readonly number[], std: number): Matrix[] {
  const n = dims.length - 1;
  const a = gaussian(rng.fork('end-to-end'), dims[n]!, dims[0]!, std);
  if (n === 1) return [a];
  const svd = new SingularValueDecomposition(a, { autoTranspose: true });
  const r = Math.min(...dims);
  const root = svd.diagonal.slice(0, r).map((s) => Math.pow(s, 1 / n));
  const sigma = Matrix.diag(root);
  const frames: Matrix[] = [svd.rightSingularVectors.subMatrix(0, dims[0]! - 1, 0, r - 1)];
  for (let j = 1; j < n; j++) frames.push(fromCore(rng.fork(`frame${j}`), dims[j]!, r, 'orthogonal', false));
  frames.push(svd.leftSingularVectors.subMatrix(0, dims[n]! - 1, 0, r - 1));
  const weights: Matrix[] = [];
  for (let j = 1; j <= n; j++) weights.push(frames[j]!.mmul(sigma).mmul(frames[j - 1]!.transpose()));
  return weights;
}

/**
 * The N weight matrices W_1 … W_N (W_j is dims[j] × dims[j−1], float64) of a deep linear net with
 * layer sizes `dims` = [d, n_1, …, n_{N−1}, k], drawn from `rng`.
 */
export function deepLinearWeights(rng: Rng, dims: readonly number[], options: DeepLinearInitOptions): Matrix[] {
  const n = dims.length - 1;
  if (n < 1) throw new ConfigError('depth', `a deep linear net needs at least one matrix, got ${n}`);
  if (options.init === 'balanced') return balanced(rng, dims, options.std);
  const weights: Matrix[] = [];
  for (let j = 1; j <= n; j++) {
    const rows = dims[j]!;
    const cols = dims[j - 1]!;
    const layerRng = rng.fork(j);
    switch (options.init) {
      case 'near-zero':
        weights.push(gaussian(layerRng, rows, cols, options.std));
        break;
      case 'near-identity': {
        // Arora et al. (2018), appendix C: the near-zero draw plus 1 on the diagonal, "including those that are not square".
        const w = gaussian(layerRng, rows, cols, options.std);
        for (let i = 0; i < Math.min(rows, cols); i++) w.set(i, i, w.get(i, i) + 1);
        weights.push(w);
        break;
      }
      case 'orthogonal':
        weights.push(fromCore(layerRng, rows, cols, 'orthogonal', false));
        break;
      case 'strategy-4.1':
        weights.push(fromCore(layerRng, rows, cols, { name: 'strategy-4.1', kappa: options.kappa }, j === 1));
        break;
    }
  }
  return weights;
}

/** W_N ⋯ W_1 in float64. */
export function matrixProduct(weights: readonly Matrix[]): Matrix {
  let product = weights[0]!.clone();
  for (let j = 1; j < weights.length; j++) product = weights[j]!.mmul(product);
  return product;
}
