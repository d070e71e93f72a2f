import { createRng, type Dataset, type Rng } from '@overparam/core';
import { Matrix, QrDecomposition } from 'ml-matrix';

/**
 * A stand-in for the UCI gas-sensor "Ethanol" task of Arora et al. (2018), §8 (2,565 examples × 128 features,
 * one real target) on machines without the file, built to have the structure §7 argues about:
 * an ill-conditioned problem whose optimal coordinates differ by orders of magnitude (y₁ ≫ y₂),
 * where ℓ₄ regression is slow for plain gradient descent and depth (the end-to-end preconditioner)
 * accelerates it.
 *
 * x = Q·diag(s)·g with g ~ N(0, I), Q a random rotation and s_j = κ_x^(−j/(d−1)): correlated
 * features whose covariance has condition number κ_x², like the sensor array's redundant channels.
 * y = Σ_j c_j g_j + noise·ε with |c_j| = κ_y^(−j/(d−1)) and random signs: in the whitened
 * (principal) coordinates the least-squares optimum is c, spanning κ_y from its largest to its
 * smallest coordinate. In the raw coordinates it is w* = Q·diag(c / s).
 */
export interface LpRegressionOptions {
  readonly n?: number;
  readonly d?: number;
  /** κ_x: ratio of the largest to the smallest input scale (the covariance's condition number is its square). */
  readonly inputCondition?: number;
  /** κ_y: ratio of the largest to the smallest optimal coordinate in the principal basis. */
  readonly targetCondition?: number;
  readonly noise?: number;
  readonly seed: number;
}

export interface LpRegressionTeacher {
  /** w* in the raw coordinates, float64 [d]: y = xᵀw* when noise is 0. */
  readonly weights: Float64Array;
  /** The input scales s_j and the principal-basis optimum c_j. */
  readonly scales: Float64Array;
  readonly coefficients: Float64Array;
}

function geometric(d: number, ratio: number): Float64Array {
  return Float64Array.from({ length: d }, (_, j) => (d === 1 ? 1 : ratio ** (-j / (d - 1))));
}

/** A uniformly random rotation: the Q of a Gaussian matrix's QR, with R's diagonal made positive. */
function randomRotation(rng: Rng, d: number): Matrix {
  const g = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g.set(i, j, rng.normal());
  const qr = new QrDecomposition(g);
  const q = qr.orthogonalMatrix;
  const r = qr.upperTriangularMatrix;
  for (let j = 0; j < d; j++) if (r.get(j, j) < 0) for (let i = 0; i < d; i++) q.set(i, j, -q.get(i, j));
  return q;
}

export function lpRegressionWithTeacher(options: LpRegressionOptions): { dataset: Dataset; teacher: LpRegressionTeacher } {
  const { n = 2565, d = 128, inputCondition = 100, targetCondition = 100, noise = 0, seed } = options;
  const rng = createRng(seed);
  const q = randomRotation(rng.fork('rotation'), d);
  const s = geometric(d, inputCondition);
  const signs = rng.fork('signs');
  const c = geometric(d, targetCondition).map((v) => (signs.uniform() < 0.5 ? -v : v));
  const weights = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) weights[i]! += q.get(i, j) * (c[j]! / s[j]!);

  // Q·diag(s) as a plain row-major array: ml-matrix's get() per multiply-add is several times slower.
  const mixing = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) mixing[i * d + j] = q.get(i, j) * s[j]!;

  const stream = rng.fork('train');
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  const g = new Float64Array(d);
  for (let e = 0; e < n; e++) {
    stream.fillNormal(g);
    let target = 0;
    for (let j = 0; j < d; j++) target += c[j]! * g[j]!;
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += mixing[i * d + j]! * g[j]!;
      x[e * d + i] = v;
    }
    y[e] = target + noise * stream.normal();
  }
  const dataset: Dataset = {
    name: 'lp-regression',
    inputShape: [d],
    task: 'regression',
    targetDim: 1,
    train: { x, y, n },
    description: `stand-in for the UCI gas-sensor Ethanol task: ${n} × ${d}, input scales spanning ${inputCondition}, optimal principal coordinates spanning ${targetCondition}, noise ${noise} (seed ${seed}); all examples are training data, as in Arora et al. (2018)`,
  };
  return { dataset, teacher: { weights, scales: s, coefficients: c } };
}

export function lpRegression(options: LpRegressionOptions): Dataset {
  return lpRegressionWithTeacher(options).dataset;
}
