import { createRng, isOverparamError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { spectrum, spectrumExtremes, symmetricEigenvalues, symmetricExtremeEigenvalues } from './spectrum';
import { BLOCKED_FROM, householderTridiagonal, householderTridiagonalUnblocked } from './householder-tridiagonal';
import { tridiagonalEigenvalues } from './tridiagonal-ql';

/** Q D Qᵀ with Q a product of n random Householder reflections, built without any eigensolver. */
function conjugatedDiagonal(d: readonly number[], seed: number): Float64Array {
  const n = d.length;
  const rng = createRng(seed);
  const m = new Float64Array(n * n);
  d.forEach((v, i) => (m[i * n + i] = v));
  for (let r = 0; r < n; r++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const vv = v.reduce((s, x) => s + x * x, 0);
    // M ← H M H with H = I − 2vvᵀ/vᵀv, applied as rank-one updates (rows, then columns).
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += v[i]! * m[i * n + j]!;
      for (let i = 0; i < n; i++) m[i * n + j]! -= (2 * v[i]! * dot) / vv;
    }
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += m[i * n + j]! * v[j]!;
      for (let j = 0; j < n; j++) m[i * n + j]! -= (2 * dot * v[j]!) / vv;
    }
  }
  // Restore exact symmetry lost to rounding (~1e-15), as a Gram built in float64 would have.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i] = 0.5 * (m[i * n + j]! + m[j * n + i]!);
  return m;
}

// A backward-stable symmetric eigensolver is accurate to ~n·ε·‖A‖; with n ≤ 60, 1e-12 · λ_max is
// ample and still far below any bug (a wrong sort or a missed symmetrisation is O(1)).
const TOL = 1e-12;

describe('spectrum', () => {
  it('returns the sorted diagonal of a diagonal matrix', () => {
    const d = [3, -1, 0.5, 7, 2];
    const m = new Float64Array(25);
    d.forEach((v, i) => (m[i * 5 + i] = v));
    expect(Array.from(symmetricEigenvalues({ size: 5, matrix: m }))).toEqual([-1, 0.5, 2, 3, 7]);
  });

  it('finds 1 + c‖v‖² and n − 1 ones for I + c·vvᵀ, and κ = 1 + c‖v‖²', () => {
    const n = 40;
    const rng = createRng(1);
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const c = 0.3;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = (i === j ? 1 : 0) + c * v[i]! * v[j]!;
    const top = 1 + c * v.reduce((s, x) => s + x * x, 0);
    const s = spectrum({ size: n, matrix: m });
    for (let k = 0; k < n - 1; k++) expect(Math.abs(s.eigenvalues[k]! - 1)).toBeLessThan(TOL * top);
    expect(Math.abs(s.lambdaMax - top)).toBeLessThan(TOL * top);
    expect(Math.abs(s.condition - top)).toBeLessThan(TOL * top);
    expect(s.trace).toBeCloseTo(n + top - 1, 10);
  });

  it('recovers the diagonal of Q D Qᵀ for a random orthogonal Q', () => {
    const rng = createRng(2);
    const d = Array.from({ length: 60 }, () => Math.exp(3 * rng.normal()));
    const s = spectrum({ size: 60, matrix: conjugatedDiagonal(d, 3) });
    const sorted = [...d].sort((a, b) => a - b);
    const top = sorted[59]!;
    sorted.forEach((v, k) => expect(Math.abs(s.eigenvalues[k]! - v)).toBeLessThan(TOL * top));
    expect(s.lambdaMin).toBe(s.eigenvalues[0]);
    expect(Math.abs(s.condition / (top / sorted[0]!) - 1)).toBeLessThan(1e-6); // λ_min is tiny: relative error grows as κ·ε
  });

  it('reports each layer’s λ_min, λ_max and share of the trace', () => {
    const a = conjugatedDiagonal([1, 2, 3, 4], 4);
    const b = conjugatedDiagonal([0, 0, 5, 10], 5);
    const total = a.map((x, k) => x + b[k]!);
    const s = spectrum({ size: 4, matrix: total, layers: [{ path: '0', matrix: a }, { path: '1', matrix: b }] });
    expect(s.layers!.map((l) => l.path)).toEqual(['0', '1']);
    expect(s.layers![0]!.traceShare).toBeCloseTo(10 / 25, 12);
    expect(s.layers![1]!.traceShare).toBeCloseTo(15 / 25, 12);
    expect(s.layers![0]!.lambdaMin).toBeCloseTo(1, 12);
    expect(s.layers![1]!.lambdaMax).toBeCloseTo(10, 12);
    // Weyl: λ_min of the sum is at least the sum of the layers' λ_min.
    expect(s.lambdaMin).toBeGreaterThanOrEqual(1 + 0 - 1e-12);
    const cheap = spectrum({ size: 4, matrix: total, layers: [{ path: '0', matrix: a }] }, { layerEigenvalues: false });
    expect(cheap.layers![0]).toEqual({ path: '0', trace: expect.closeTo(10, 12), traceShare: expect.closeTo(0.4, 12) });
  });

  it('gives κ = Infinity when λ_min ≤ 0 (a singular or indefinite matrix)', () => {
    expect(spectrum({ size: 2, matrix: Float64Array.from([1, 0, 0, 0]) }).condition).toBe(Infinity);
    const indefinite = spectrum({ size: 2, matrix: Float64Array.from([0, 1, 1, 0]) });
    expect(indefinite.lambdaMin).toBeCloseTo(-1, 14);
    expect(indefinite.condition).toBe(Infinity);
  });

  it('rejects a wrong layout, an asymmetric matrix and non-finite entries with typed errors', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isOverparamError(e) ? e.code : 'untyped';
      }
      return 'none';
    };
    expect(codeOf(() => spectrum({ size: 3, matrix: new Float64Array(8) }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spectrum({ size: 2, matrix: Float64Array.from([1, 0.5, 0.4, 1]) }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => spectrum({ size: 2, matrix: Float64Array.from([1, Number.NaN, Number.NaN, 1]) }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => spectrum({ size: 2, matrix: Float64Array.from([1, 0, 0, 1]), layers: [{ path: 'x', matrix: new Float64Array(3) }] }))).toBe('SHAPE_MISMATCH');
  });
});

/** A Gram A·Aᵀ of n random rows of length k (k ≥ n: positive definite; k close to n: a dense bottom edge). */
function randomGram(n: number, k: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = Float64Array.from({ length: n * k }, () => rng.normal());
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * a[j * k + t]!;
      g[i * n + j] = g[j * n + i] = s;
    }
  }
  return g;
}

describe('eigenvalue solvers against ml-matrix (float64)', () => {
  it('our tridiagonal QL finds every eigenvalue ml-matrix’s EigenvalueDecomposition finds', async () => {
    const { EigenvalueDecomposition, Matrix } = await import('ml-matrix');
    const n = 150;
    const g = randomGram(n, n + 4, 7);
    const reference = Float64Array.from(new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(g.subarray(i * n, (i + 1) * n)))), { assumeSymmetric: true }).realEigenvalues).sort();
    const ours = symmetricEigenvalues({ size: n, matrix: g });
    // Both are backward stable: each eigenvalue within ~n·ε·‖G‖ (≈ 3e-14·λ_max) of the truth.
    reference.forEach((v, i) => expect(Math.abs(ours[i]! - v)).toBeLessThan(1e-12 * reference[n - 1]!));
  });

  it('Lanczos finds λ_min and λ_max to its tolerance; a dense or singular bottom edge goes through shift-and-invert', () => {
    // Each method stops at a residual bound ≤ 1e-10·λ_max on the eigenvalue; 1e-9 leaves room for the reference's own rounding.
    const n = 200;
    // Extremes apart from the rest (0.5 and 10 around a bulk in [1, 2]): Lanczos on A finds both.
    // A random Gram with k = n + 2 has a dense bottom edge near 0, and with k = n − 5 five zero
    // eigenvalues (singular): Lanczos on A cannot resolve them in its budget, shift-and-invert must.
    const separated = conjugatedDiagonal([0.5, 10, ...Array.from({ length: n - 2 }, (_, i) => 1 + i / (n - 2))], 13);
    for (const [g, method] of [
      [separated, 'lanczos'],
      [randomGram(n, n + 2, 14), 'shift-invert'],
      [randomGram(n, n - 5, 15), 'shift-invert'],
    ] as const) {
      const all = symmetricEigenvalues({ size: n, matrix: g });
      const ext = symmetricExtremeEigenvalues({ size: n, matrix: g });
      expect(ext.method).toBe(method);
      expect(Math.abs(ext.lambdaMin - all[0]!)).toBeLessThan(1e-9 * all[n - 1]!);
      expect(Math.abs(ext.lambdaMax - all[n - 1]!)).toBeLessThan(1e-9 * all[n - 1]!);
    }
  });

  it('an indefinite matrix whose bottom Lanczos does not resolve falls back to the full solver, exactly', () => {
    const n = 120;
    // A dense negative bottom edge: shift-and-invert needs a positive semi-definite matrix.
    const values = [...Array.from({ length: n - 1 }, (_, i) => -1 + i / (4 * n)), 8];
    const g = conjugatedDiagonal(values, 21);
    const ext = symmetricExtremeEigenvalues({ size: n, matrix: g });
    expect(ext.method).toBe('full');
    // The full solver is backward stable: within ~n·ε·‖G‖ of the eigenvalues the matrix was built with.
    expect(Math.abs(ext.lambdaMin + 1)).toBeLessThan(1e-12 * 8);
    expect(Math.abs(ext.lambdaMax - 8)).toBeLessThan(1e-12 * 8);
  });

  it('Lanczos stops at once on I + c·vvᵀ (a two-dimensional Krylov space) with λ_min = 1, λ_max = 1 + c‖v‖²', () => {
    const n = 100;
    const rng = createRng(9);
    const v = Float64Array.from({ length: n }, () => rng.normal());
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = (i === j ? 1 : 0) + 0.3 * v[i]! * v[j]!;
    const top = 1 + 0.3 * v.reduce((s, x) => s + x * x, 0);
    const ext = symmetricExtremeEigenvalues({ size: n, matrix: m });
    expect(ext.method).toBe('lanczos');
    expect(ext.iterations).toBeLessThanOrEqual(4);
    expect(Math.abs(ext.lambdaMin - 1)).toBeLessThan(1e-12 * top);
    expect(Math.abs(ext.lambdaMax - top)).toBeLessThan(1e-12 * top);
  });

  it('spectrumExtremes agrees with spectrum except for the list of eigenvalues', () => {
    const n = 80;
    const g = randomGram(n, 3 * n, 11);
    const layer = randomGram(n, 2 * n, 12);
    const full = spectrum({ size: n, matrix: g, layers: [{ path: '0', matrix: layer }] });
    const cheap = spectrumExtremes({ size: n, matrix: g, layers: [{ path: '0', matrix: layer }] });
    expect(cheap).not.toHaveProperty('eigenvalues');
    expect(cheap.lambdaMin).toBeCloseTo(full.lambdaMin, 6);
    expect(cheap.lambdaMax).toBeCloseTo(full.lambdaMax, 6);
    expect(cheap.layers![0]!.lambdaMin).toBeCloseTo(full.layers![0]!.lambdaMin!, 6);
    expect(cheap.trace).toBe(full.trace);
  });
});

/** max_i |λ_i − μ_i| of two ascending lists, over max |λ|. */
function relativeDistance(ours: Float64Array, reference: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < ours.length; i++) {
    worst = Math.max(worst, Math.abs(ours[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return worst / scale;
}

function eigenvaluesBy(reduce: typeof householderTridiagonal, n: number, g: Float64Array): Float64Array {
  const { d, e } = reduce(n, Float64Array.from(g));
  return tridiagonalEigenvalues(d, e).sort();
}

describe('the blocked reduction and the fast paths against the unblocked solver and closed forms', () => {
  // Both reductions are backward stable: each eigenvalue within c·n·ε·‖A‖ of the truth, c a small
  // constant (measured: ≤ 1.7e-15·‖A‖ between the two here). 4·n·ε·‖A‖ (2e-13 at n = 225) holds
  // that with room, and a wrong panel correction or a skipped trailing entry is O(‖A‖/n) or more.
  // Sizes from BLOCKED_FROM on, with n − 1 (the reflectors) a multiple of the 32-column panel plus 7, 31 and 0.
  it.each([
    [200, 210],
    [224, 224],
    [225, 240],
  ])('n = %i (Gram of %i columns): the blocked reduction’s eigenvalues are the unblocked ones', (n, k) => {
    expect(n).toBeGreaterThanOrEqual(BLOCKED_FROM);
    const g = randomGram(n, k, n);
    expect(relativeDistance(eigenvaluesBy(householderTridiagonal, n, g), eigenvaluesBy(householderTridiagonalUnblocked, n, g))).toBeLessThan(4 * n * Number.EPSILON);
  });

  it('recovers the known spectrum of an indefinite Q·D·Qᵀ with clusters and zeros, n = 210 (blocked: several panels and a remainder)', () => {
    const n = 210;
    expect(n).toBeGreaterThanOrEqual(BLOCKED_FROM);
    const rng = createRng(31);
    const d = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : i % 7 === 0 ? 2 : rng.normal() * 10));
    const g = conjugatedDiagonal(d, 32);
    const sorted = Float64Array.from(d).sort();
    // Q·D·Qᵀ is itself built with n reflections in float64, each adding ~n·ε·‖D‖ of rounding; with
    // the solver's 4·n·ε·‖D‖ the sum stays under 1e-12·‖D‖ (measured: 2.5e-15·‖D‖).
    expect(relativeDistance(symmetricEigenvalues({ size: n, matrix: g }), sorted)).toBeLessThan(1e-12);
  });

  it('symmetrizes across its 32×32 tiles: every entry is averaged with its mirror, and an asymmetry in any tile is named', () => {
    const n = 70;
    const g = randomGram(n, n, 51);
    // A skew part that the average must remove exactly; a missed or doubled tile would leave it.
    const skewed = g.map((x, k) => x + 1e-9 * (Math.floor(k / n) - (k % n)));
    const clean = symmetricEigenvalues({ size: n, matrix: g });
    expect(relativeDistance(symmetricEigenvalues({ size: n, matrix: skewed }), clean)).toBeLessThan(4 * n * Number.EPSILON);
    const broken = Float64Array.from(g);
    broken[5 * n + 66]! += 1;
    expect(() => symmetricEigenvalues({ size: n, matrix: broken })).toThrow(/not symmetric at \(5, 66\)/);
  });

  it('QL keeps its accuracy on a tridiagonal at scales where x² + y² over- or underflows (the hypot fallback)', () => {
    const n = 40;
    const rng = createRng(41);
    const d = Float64Array.from({ length: n }, () => rng.normal());
    const e = Float64Array.from({ length: n }, () => rng.normal());
    const base = tridiagonalEigenvalues(d.slice(), e.slice()).sort();
    // Scaling by a power of two is exact, so the eigenvalues must scale exactly up to QL's own
    // rounding (backward stable: ~n·ε·‖T‖, under 1e-13 relative here); without the fallback the
    // squares of 2^±600-sized entries are Infinity or 0 and the rotations NaN or wrong.
    // (Called on the tridiagonal directly: the Householder reduction squares entries unscaled.)
    for (const exponent of [600, -600]) {
      const scale = 2 ** exponent;
      const scaled = tridiagonalEigenvalues(d.map((x) => x * scale), e.map((x) => x * scale)).sort();
      expect(relativeDistance(scaled.map((x) => x / scale), base)).toBeLessThan(1e-13);
    }
  });

  it('Lanczos’s r²/gap stopping rule still gives λ_max to its tolerance when the top two eigenvalues nearly coincide', () => {
    // λ_1 = 10, λ_2 = 10 − 1e-6 above a bulk in [1, 9]: the pair separates late, so an early gap
    // estimate from the bulk's Ritz values would be far too wide. Within 1e-9·λ_max as above.
    const n = 200;
    const g = conjugatedDiagonal([10, 10 - 1e-6, 0.5, ...Array.from({ length: n - 3 }, (_, i) => 1 + (8 * i) / (n - 3))], 33);
    const ext = symmetricExtremeEigenvalues({ size: n, matrix: g });
    expect(Math.abs(ext.lambdaMax - 10)).toBeLessThan(1e-9 * 10);
    expect(Math.abs(ext.lambdaMin - 0.5)).toBeLessThan(1e-9 * 10);
  });
});

describe('a low-rank Gram (a cluster of zero eigenvalues)', () => {
  // B·Bᵀ for B of n×k has k nonzero eigenvalues, those of the k×k Bᵀ·B, and n − k zeros. Such a
  // Gram (a net with fewer parameters than examples) once made QL stall on the zero cluster, where
  // the relative split test asked rounding noise to vanish; both reductions must now converge.
  it.each([
    ['blocked', householderTridiagonal],
    ['unblocked', householderTridiagonalUnblocked],
  ] as const)('the %s reduction and QL give the k nonzero eigenvalues and n − k zeros', (_name, reduce) => {
    const n = 256;
    const k = 4;
    for (const zeroTail of [false, true]) {
      const rows = zeroTail ? 200 : n; // rows past `rows` are zero: a Gram with exact zero rows too
      const b = new Float64Array(n * k);
      for (let i = 0; i < rows * k; i++) b[i] = i % 7 === 0 ? 0 : Math.sin(i * 1.3);
      const a = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) a[i * n + j]! += b[i * k + t]! * b[j * k + t]!;
      const small = new Float64Array(k * k);
      for (let s = 0; s < k; s++) for (let t = 0; t < k; t++) for (let i = 0; i < n; i++) small[s * k + t]! += b[i * k + s]! * b[i * k + t]!;
      const { d, e } = reduce(n, Float64Array.from(a));
      const values = tridiagonalEigenvalues(d, e).sort();
      const { d: ds, e: es } = householderTridiagonalUnblocked(k, small);
      const expected = tridiagonalEigenvalues(ds, es).sort();
      const top = expected[k - 1]!;
      // Backward stability: every eigenvalue within a small multiple of n·ε·‖A‖ (‖A‖ = the largest eigenvalue).
      const tolerance = 4 * n * Number.EPSILON * top;
      for (let i = 0; i < n - k; i++) expect(Math.abs(values[i]!)).toBeLessThan(tolerance);
      for (let i = 0; i < k; i++) expect(Math.abs(values[n - k + i]! - expected[i]!)).toBeLessThan(tolerance);
    }
  });
});
