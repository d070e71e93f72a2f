import { createRng, type Dataset, type Rng, type Split } from '@overparam/core';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Sankararaman et al. (2020), §4, Theorem 4.1 part 2: inputs drawn uniformly from the unit sphere S^{d−1} and real
 * targets C(x) from a labeling function with |C(x)| ≤ 1 and ‖∇C(x)‖ ≤ 1 on the unit ball.
 *
 * - `linear`: C(x) = wᵀx with ‖w‖ = 1 (w uniform on the sphere), so ∇C = w.
 * - `tanh`: C(x) = c·aᵀtanh(Wx) with W [hidden, d] and a [hidden] standard normal (so Wx is O(1)
 *   on the sphere and the tanh is genuinely non-linear) and c = 1 / (‖a‖₂‖W‖₂). Since |tanh′| ≤ 1,
 *   ‖∇C‖ = c‖Wᵀ(a ⊙ tanh′(Wx))‖ ≤ c‖W‖₂‖a‖₂ = 1; since |tanh z| ≤ |z|, |C| ≤ c‖a‖₂‖Wx‖₂ ≤ ‖x‖ ≤ 1.
 *
 * Both scales carry a 1e-6 relative margin so that float32 rounding of the stored inputs (norm
 * 1 ± 6e-8) cannot push |C| past 1. ‖W‖₂ is computed in float64 by ml-matrix's SVD.
 */
export interface SphereOptions {
  readonly n?: number;
  readonly testN?: number;
  readonly d?: number;
  readonly teacher?: 'linear' | 'tanh';
  /** Hidden units of the tanh teacher. */
  readonly hidden?: number;
  readonly seed: number;
}

export interface SphereTeacher {
  readonly kind: 'linear' | 'tanh';
  /** C(x), in float64. */
  value(x: ArrayLike<number>): number;
  /** ∇C(x), in float64. */
  gradient(x: ArrayLike<number>): Float64Array;
}

const MARGIN = 1 - 1e-6;

export function sphereDataWithTeacher(options: SphereOptions): { dataset: Dataset; teacher: SphereTeacher } {
  const { n = 1000, testN = 1000, d = 100, teacher: kind = 'linear', hidden = 100, seed } = options;
  const rng = createRng(seed);
  const teacher = kind === 'linear' ? linearTeacher(rng.fork('teacher'), d) : tanhTeacher(rng.fork('teacher'), d, hidden);
  const split = (count: number, label: string): Split => {
    const x = spherePoints(rng.fork(label), count, d);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) y[i] = teacher.value(x.subarray(i * d, (i + 1) * d));
    return { x, y, n: count };
  };
  const dataset: Dataset = {
    name: 'sphere',
    inputShape: [d],
    task: 'regression',
    targetDim: 1,
    train: split(n, 'train'),
    test: split(testN, 'test'),
    description: `points uniform on the unit sphere in ${d} dimensions, targets from a ${kind} teacher with |C| ≤ 1 and ‖∇C‖ ≤ 1 (seed ${seed})`,
  };
  return { dataset, teacher };
}

export function sphereData(options: SphereOptions): Dataset {
  return sphereDataWithTeacher(options).dataset;
}

/** `count` points uniform on S^{d−1}: normalized standard Gaussians (rotation invariance). */
export function spherePoints(rng: Rng, count: number, d: number): Float32Array {
  const x = new Float32Array(count * d);
  const g = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    let norm = 0;
    // A zero vector has probability 0, but a draw of all-tiny values would divide badly: redraw.
    while (norm < 1e-12) {
      rng.fillNormal(g);
      norm = Math.hypot(...g);
    }
    for (let j = 0; j < d; j++) x[i * d + j] = g[j]! / norm;
  }
  return x;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

function linearTeacher(rng: Rng, d: number): SphereTeacher {
  const w = new Float64Array(d);
  rng.fillNormal(w);
  const scale = MARGIN / Math.hypot(...w);
  for (let j = 0; j < d; j++) w[j]! *= scale;
  return { kind: 'linear', value: (x) => dot(w, x, d), gradient: () => w.slice() };
}

function tanhTeacher(rng: Rng, d: number, hidden: number): SphereTeacher {
  const w = new Float64Array(hidden * d);
  const a = new Float64Array(hidden);
  rng.fillNormal(w);
  rng.fillNormal(a);
  const spectral = new SingularValueDecomposition(new Matrix(Array.from({ length: hidden }, (_, r) => Array.from(w.subarray(r * d, (r + 1) * d)))), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  }).diagonal[0]!;
  const c = MARGIN / (Math.hypot(...a) * spectral);
  const pre = (x: ArrayLike<number>) => Float64Array.from({ length: hidden }, (_, r) => dot(w.subarray(r * d, (r + 1) * d), x, d));
  return {
    kind: 'tanh',
    value: (x) => {
      const z = pre(x);
      let s = 0;
      for (let r = 0; r < hidden; r++) s += a[r]! * Math.tanh(z[r]!);
      return c * s;
    },
    gradient: (x) => {
      const z = pre(x);
      const g = new Float64Array(d);
      for (let r = 0; r < hidden; r++) {
        const t = Math.tanh(z[r]!);
        const coef = c * a[r]! * (1 - t * t);
        for (let j = 0; j < d; j++) g[j]! += coef * w[r * d + j]!;
      }
      return g;
    },
  };
}
