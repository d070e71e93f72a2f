/**
 * λ_min and λ_max of a symmetric matrix by Lanczos with full reorthogonalisation, in float64.
 * The training hooks need only these two, and for a Gram whose extremes stand apart from the rest
 * of its spectrum a few dozen matrix-vector products find them, against (2/3)·n³ for every
 * eigenvalue. Where the extremes sit in a dense part of the spectrum, Lanczos needs more
 * iterations; it stops at `maxIterations` and then falls back to the full solver, so the answer
 * is always to the requested accuracy.
 */
import { symmetricEigenvaluesOf, tridiagonalEigenvalues } from './symmetric-eigenvalues';

export interface ExtremeEigenvalues {
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  /** Lanczos steps taken (matrix-vector products); `n` when it fell back to the full solver. */
  readonly iterations: number;
  /** `lanczos`, or `full` when Lanczos did not converge within its iteration budget. */
  readonly method: 'lanczos' | 'full';
}

export interface ExtremeEigenvalueOptions {
  /**
   * Stop when both Ritz values have residual ‖A·y − θ·y‖ ≤ tolerance·max|θ|, which bounds their
   * distance to an eigenvalue of A by the same amount. Default 1e-10.
   */
  readonly tolerance?: number;
  /** Lanczos steps before falling back to the full solver. Default min(n, max(64, n / 4)). */
  readonly maxIterations?: number;
}

/** Below this size the full solver is as cheap as Lanczos. */
const SMALL = 48;
/** Ritz values are checked every this many steps: the check costs O(k²), a step O(n²). */
const CHECK_EVERY = 4;

/** A deterministic start vector with no special structure (so no eigenvector is missed). */
function startVector(n: number): Float64Array {
  const q = new Float64Array(n);
  let s = 0x9e3779b9;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    q[i] = (s >>> 0) / 4294967296 - 0.5;
    norm += q[i]! * q[i]!;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < n; i++) q[i]! *= inv;
  return q;
}

/** The extreme Ritz values of T_k = tridiag(alpha, beta) and the last components of their eigenvectors. */
function ritzExtremes(alpha: Float64Array, beta: Float64Array, k: number): { min: number; max: number; lastMin: number; lastMax: number } {
  const d = alpha.slice(0, k);
  const e = new Float64Array(k);
  e.set(beta.subarray(0, k - 1));
  const last = new Float64Array(k);
  last[k - 1] = 1;
  tridiagonalEigenvalues(d, e, last);
  let iMin = 0;
  let iMax = 0;
  for (let i = 1; i < k; i++) {
    if (d[i]! < d[iMin]!) iMin = i;
    if (d[i]! > d[iMax]!) iMax = i;
  }
  return { min: d[iMin]!, max: d[iMax]!, lastMin: last[iMin]!, lastMax: last[iMax]! };
}

/** λ_min and λ_max of the symmetric row-major n×n `values`. */
export function extremeEigenvalues(n: number, values: Float64Array, options: ExtremeEigenvalueOptions = {}): ExtremeEigenvalues {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = Math.min(n, options.maxIterations ?? Math.max(64, Math.ceil(n / 4)));
  const full = (): ExtremeEigenvalues => {
    const ev = symmetricEigenvaluesOf(n, values);
    return { lambdaMin: ev[0]!, lambdaMax: ev[n - 1]!, iterations: n, method: 'full' };
  };
  if (n <= SMALL) return full();

  const basis = new Float64Array(maxIterations * n);
  const alpha = new Float64Array(maxIterations);
  const beta = new Float64Array(maxIterations);
  const w = new Float64Array(n);
  basis.set(startVector(n));
  /** A running estimate of ‖A‖ (max |α| + β), the scale for "β is zero". */
  let scale = 0;
  for (let j = 0; j < maxIterations; j++) {
    const q = basis.subarray(j * n, (j + 1) * n);
    // w = A·q, row by row (contiguous).
    let a = 0;
    for (let r = 0; r < n; r++) {
      const base = r * n;
      let s = 0;
      for (let c = 0; c < n; c++) s += values[base + c]! * q[c]!;
      w[r] = s;
      a += s * q[r]!;
    }
    alpha[j] = a;
    // Full reorthogonalisation against every basis vector, twice ("twice is enough", Parlett):
    // it subsumes the three-term recurrence and keeps the basis orthogonal to working precision.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i <= j; i++) {
        const qi = basis.subarray(i * n, (i + 1) * n);
        let dot = 0;
        for (let c = 0; c < n; c++) dot += qi[c]! * w[c]!;
        for (let c = 0; c < n; c++) w[c]! -= dot * qi[c]!;
      }
    }
    let b = 0;
    for (let c = 0; c < n; c++) b += w[c]! * w[c]!;
    b = Math.sqrt(b);
    beta[j] = b;
    const k = j + 1;
    scale = Math.max(scale, Math.abs(a) + b);
    // An invariant subspace (β ≈ 0): its Ritz values are eigenvalues, and a generic start vector
    // has a component along every eigenspace, so the extremes are among them.
    const invariant = b <= Number.EPSILON * scale * n;
    if (invariant || k % CHECK_EVERY === 0 || k === maxIterations) {
      const ritz = ritzExtremes(alpha, beta, k);
      const bound = tolerance * Math.max(Math.abs(ritz.min), Math.abs(ritz.max));
      if (invariant || (b * Math.abs(ritz.lastMin) <= bound && b * Math.abs(ritz.lastMax) <= bound)) {
        return { lambdaMin: ritz.min, lambdaMax: ritz.max, iterations: k, method: 'lanczos' };
      }
    }
    if (k === maxIterations) break;
    const next = basis.subarray(k * n, (k + 1) * n);
    const inv = 1 / b;
    for (let c = 0; c < n; c++) next[c] = w[c]! * inv;
  }
  return full();
}
