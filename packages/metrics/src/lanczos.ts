/**
 * λ_min and λ_max of a symmetric matrix in float64, by Lanczos with full reorthogonalisation.
 * The training hooks need only these two. λ_max of a Gram stands apart from the rest of its
 * spectrum, and a few dozen matrix-vector products find it, against (2/3)·n³ for every eigenvalue.
 * λ_min often sits in a dense bottom edge (a Gram of n gradients in about n dimensions), where
 * Lanczos on A would need nearly n steps; there it runs on (A + τI)⁻¹ instead (shift-and-invert:
 * the bottom of A becomes the well separated top of the inverse), through a Cholesky factor, n³/6
 * multiply-adds. A matrix that is not positive semi-definite, or a budget run out, falls back to
 * the full solver, so the answer is always to the requested accuracy.
 */
import { cholesky, choleskySolve } from './cholesky';
import { symmetricEigenvaluesOf } from './symmetric-eigenvalues';
import { tridiagonalEigenvalues } from './tridiagonal-ql';

export interface ExtremeEigenvalues {
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  /** Lanczos steps taken (matrix-vector products and solves together); `n` when it fell back to the full solver. */
  readonly iterations: number;
  /** `lanczos`: both from Lanczos on A; `shift-invert`: λ_min from Lanczos on (A + τI)⁻¹; `full`: the full solver. */
  readonly method: 'lanczos' | 'shift-invert' | 'full';
}

export interface ExtremeEigenvalueOptions {
  /**
   * Stop when each extreme's Ritz value is within tolerance·max(|λ_min|, |λ_max|) of an
   * eigenvalue (by its residual, or residual²/gap once separated from its neighbour: `ritzBound`). Default 1e-10.
   */
  readonly tolerance?: number;
  /** Lanczos steps on each operator before falling back to the full solver. Default min(n, max(64, n / 4)). */
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

/** An extreme Ritz value and the bound on its distance to an eigenvalue of the operator. */
interface Ritz {
  readonly value: number;
  readonly bound: number;
}

interface LanczosState {
  readonly min: Ritz;
  readonly max: Ritz;
  readonly iterations: number;
  /** β ≈ 0: the Krylov space is invariant, so its Ritz values are eigenvalues. */
  readonly invariant: boolean;
}

/**
 * The bound on |θ − λ| for a Ritz value θ with residual r = β_k·|s_k|: r itself, or r²/gap when the
 * rest of the spectrum is at least `gap` away (the gap theorem, Parlett 1998, The Symmetric
 * Eigenvalue Problem, ch. 11). The gap is estimated from the neighbouring Ritz value θ' less its own
 * residual r' (an eigenvalue lies within r' of θ'), the usual estimate: θ' converges to the next
 * eigenvalue from inside, so early on it can put the gap too wide; the squared form only applies
 * once r < gap, when the two Ritz pairs have separated. The error of θ is then near r²/gap, far
 * below r: λ_max of the bench’s Gram (n = 1024) passes 1e-10 after 56 steps instead of 80.
 */
function ritzBound(r: number, value: number, neighbour: number, neighbourResidual: number): number {
  const gap = Math.abs(value - neighbour) - neighbourResidual;
  return gap > r ? (r * r) / gap : r;
}

/** The extreme Ritz values of T_k = tridiag(alpha, beta) with their error bounds (`ritzBound`). */
function ritzExtremes(alpha: Float64Array, beta: Float64Array, k: number): { min: Ritz; max: Ritz } {
  const d = alpha.slice(0, k);
  const e = new Float64Array(k);
  e.set(beta.subarray(0, k - 1));
  const last = new Float64Array(k);
  last[k - 1] = 1;
  tridiagonalEigenvalues(d, e, last);
  // Indices of the two smallest and the two largest Ritz values.
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  const b = beta[k - 1]!;
  const ritz = (at: number, next: number | undefined): Ritz => {
    const i = order[at]!;
    const r = b * Math.abs(last[i]!);
    if (next === undefined) return { value: d[i]!, bound: r };
    const j = order[next]!;
    return { value: d[i]!, bound: ritzBound(r, d[i]!, d[j]!, b * Math.abs(last[j]!)) };
  };
  return { min: ritz(0, k > 1 ? 1 : undefined), max: ritz(k - 1, k > 1 ? k - 2 : undefined) };
}

/**
 * Lanczos on the symmetric operator `apply` (w = Op·q) until `done` accepts the extreme Ritz
 * values or `maxIterations` steps are taken; the last state either way.
 */
function lanczos(n: number, apply: (q: Float64Array, w: Float64Array) => void, maxIterations: number, done: (state: LanczosState) => boolean): LanczosState {
  const basis = new Float64Array(maxIterations * n);
  const alpha = new Float64Array(maxIterations);
  const beta = new Float64Array(maxIterations);
  const w = new Float64Array(n);
  basis.set(startVector(n));
  /** A running estimate of ‖Op‖ (max |α| + β), the scale for "β is zero". */
  let scale = 0;
  let state: LanczosState | undefined;
  for (let j = 0; j < maxIterations; j++) {
    const q = basis.subarray(j * n, (j + 1) * n);
    apply(q, w);
    let a = 0;
    for (let c = 0; c < n; c++) a += w[c]! * q[c]!;
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
    // A generic start vector has a component along every eigenspace, so an invariant subspace holds the extremes.
    const invariant = b <= Number.EPSILON * scale * n;
    if (invariant || k % CHECK_EVERY === 0 || k === maxIterations) {
      state = { ...ritzExtremes(alpha, beta, k), iterations: k, invariant };
      if (invariant || done(state)) return state;
    }
    if (k === maxIterations) break;
    const next = basis.subarray(k * n, (k + 1) * n);
    const inv = 1 / b;
    for (let c = 0; c < n; c++) next[c] = w[c]! * inv;
  }
  return state!;
}

/** w = A·q for the row-major n×n `a`: four rows at a time (four independent sums, q read once for four rows). */
function product(n: number, a: Float64Array): (q: Float64Array, w: Float64Array) => void {
  return (q, w) => {
    let r = 0;
    for (; r + 3 < n; r += 4) {
      const b0 = r * n;
      const b1 = b0 + n;
      const b2 = b1 + n;
      const b3 = b2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let c = 0; c < n; c++) {
        const x = q[c]!;
        s0 += a[b0 + c]! * x;
        s1 += a[b1 + c]! * x;
        s2 += a[b2 + c]! * x;
        s3 += a[b3 + c]! * x;
      }
      w[r] = s0;
      w[r + 1] = s1;
      w[r + 2] = s2;
      w[r + 3] = s3;
    }
    for (; r < n; r++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += a[r * n + c]! * q[c]!;
      w[r] = s;
    }
  };
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

  const accuracy = (s: LanczosState) => tolerance * Math.max(Math.abs(s.min.value), Math.abs(s.max.value));
  // On A until λ_max has converged, and λ_min too while its bound falls fast enough to get there in
  // fewer steps than the factorization costs (n³/6 multiply-adds: n/6 products with A).
  let previousMinBound = Infinity;
  const onA = lanczos(n, product(n, values), maxIterations, (s) => {
    const rate = s.min.bound / previousMinBound;
    previousMinBound = s.min.bound;
    if (s.max.bound > accuracy(s)) return false;
    if (s.min.bound <= accuracy(s) || !(rate < 1)) return true;
    const stepsLeft = (CHECK_EVERY * Math.log(accuracy(s) / s.min.bound)) / Math.log(rate);
    return s.iterations + stepsLeft > Math.min(maxIterations, n / 6);
  });
  const bound = accuracy(onA);
  if (onA.max.bound > bound) return full();
  const lambdaMax = onA.max.value;
  if (onA.invariant || onA.min.bound <= bound) return { lambdaMin: onA.min.value, lambdaMax, iterations: onA.iterations, method: 'lanczos' };

  // λ_min by shift-and-invert. τ ≥ the Cholesky's backward error, 4(n+1)·ε·max A_ii (Demmel), so
  // that a singular positive semi-definite Gram still factors; the top of (A + τI)⁻¹ is 1/(λ_min + τ).
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) maxDiagonal = Math.max(maxDiagonal, values[i * n + i]!);
  const tau = 4 * (n + 1) * Number.EPSILON * maxDiagonal;
  const factor = cholesky(n, values, tau);
  // Not positive definite even shifted: λ_min < 0, outside what the shift handles.
  if (factor === undefined) return full();
  const scratch = new Float64Array(n);
  const solve = (q: Float64Array, w: Float64Array) => choleskySolve(n, factor, q, w, scratch);
  // An error δ in ν = 1/(λ + τ) is an error of about δ/ν² in λ.
  const target = tolerance * Math.abs(lambdaMax);
  const inverse = lanczos(n, solve, maxIterations, (s) => s.max.bound <= target * s.max.value * s.max.value);
  const nu = inverse.max;
  if (!(nu.value > 0) || !(inverse.invariant || nu.bound <= target * nu.value * nu.value)) return full();
  return { lambdaMin: 1 / nu.value - tau, lambdaMax, iterations: onA.iterations + inverse.iterations, method: 'shift-invert' };
}
