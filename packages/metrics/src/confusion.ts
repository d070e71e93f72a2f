import { ShapeError } from '@overparam/core';
import { quantileSorted } from 'd3-array';

/**
 * Gradient confusion (Sankararaman et al. (2020)): from a Gram G_ij = ⟨∇f_i, ∇f_j⟩ of N objective terms,
 * - Definition 2.1: the bound η = max(0, −min_{i≠j} G_ij), so that ⟨∇f_i, ∇f_j⟩ ≥ −η for all i ≠ j;
 * - §8, averaged: Σ_{i,j} G_ij / N² ≥ −η (all i, j, the diagonal included). Note this is ‖mean
 *   gradient‖², never negative, so its η is 0 for any G that is a Gram; we report the value itself;
 * - §8, normalized: G_ij / (‖∇f_i‖‖∇f_j‖) ≥ −η, i.e. η = max(0, −min cosine);
 * and the distribution of the pairwise cosines (the paper plots their minimum and a KDE).
 */

/** Quantiles reported by default: the 5th, 25th, 50th, 75th and 95th percentiles. */
export const defaultQuantiles: readonly number[] = [0.05, 0.25, 0.5, 0.75, 0.95];

export interface CosineSummary {
  /** Cosines that were defined (pairs where neither gradient is zero). */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly median: number;
  /** Fraction of cosines below 0. */
  readonly fractionNegative: number;
  /** `p05`, `p25`, … (linear interpolation between order statistics, R's type 7 / numpy's default). */
  readonly quantiles: Readonly<Record<string, number>>;
}

export interface Confusion {
  /** N, the number of objective terms (examples or minibatches). */
  readonly n: number;
  /** Definition 2.1. */
  readonly eta: number;
  /** min_{i≠j} G_ij. */
  readonly minInner: number;
  /** Σ_{i,j} G_ij / N² (§8's averaged variant). */
  readonly averagedInner: number;
  readonly etaAveraged: number;
  /** max(0, −min cosine) (§8's normalized variant). */
  readonly etaNormalized: number;
  readonly cosines: CosineSummary;
  /** Pairs i < j whose cosine is undefined because a gradient is exactly zero. */
  readonly undefinedPairs: number;
}

export function quantileKey(q: number): string {
  return `p${String(Math.round(q * 100)).padStart(2, '0')}`;
}

/** Summary statistics of a set of cosines (NaNs are skipped). */
export function summarizeCosines(values: ArrayLike<number>, quantiles: readonly number[] = defaultQuantiles): CosineSummary {
  // A plain array: d3-array's typings take number[] (its quantileSorted reads any array-like).
  const sorted = Array.from(Float64Array.from(Array.prototype.filter.call(values, (v: number) => !Number.isNaN(v)) as number[]).sort());
  const count = sorted.length;
  if (count === 0) return { count, min: NaN, max: NaN, mean: NaN, median: NaN, fractionNegative: NaN, quantiles: Object.fromEntries(quantiles.map((q) => [quantileKey(q), NaN])) };
  let sum = 0;
  let negative = 0;
  for (const v of sorted) {
    sum += v;
    if (v < 0) negative++;
  }
  return {
    count,
    min: sorted[0]!,
    max: sorted[count - 1]!,
    mean: sum / count,
    median: quantileSorted(sorted, 0.5)!,
    fractionNegative: negative / count,
    quantiles: Object.fromEntries(quantiles.map((q) => [quantileKey(q), quantileSorted(sorted, q)!])),
  };
}

function checkSquare(matrix: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 2) throw new ShapeError(`gradient confusion needs at least 2 gradients, got n = ${n}`);
  if (matrix.length !== n * n) throw new ShapeError(`expected an n×n Gram (${n * n} values, row-major), got ${matrix.length}`);
}

/** The cosines G_ij / √(G_ii G_jj) for i < j, row by row; NaN where a gradient is zero. */
export function gradientCosines(matrix: Float64Array, n: number): Float64Array {
  checkSquare(matrix, n);
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const gi = matrix[i * n + i]!;
    for (let j = i + 1; j < n; j++) {
      const denominator = Math.sqrt(gi * matrix[j * n + j]!);
      out[k++] = denominator > 0 ? matrix[i * n + j]! / denominator : NaN;
    }
  }
  return out;
}

/** Every confusion number of Sankararaman et al. (2020) from a Gram (row-major n×n float64, e.g. `gradientGram(...).matrix`). */
export function gradientConfusion(gram: { readonly size: number; readonly matrix: Float64Array }, quantiles: readonly number[] = defaultQuantiles): Confusion {
  const { size: n, matrix } = gram;
  checkSquare(matrix, n);
  let minInner = Infinity;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = matrix[i * n + j]!;
      total += v;
      if (i !== j && v < minInner) minInner = v;
    }
  }
  const cos = gradientCosines(matrix, n);
  const summary = summarizeCosines(cos, quantiles);
  const averagedInner = total / (n * n);
  return {
    n,
    eta: Math.max(0, -minInner),
    minInner,
    averagedInner,
    etaAveraged: Math.max(0, -averagedInner),
    etaNormalized: Math.max(0, -summary.min),
    cosines: summary,
    undefinedPairs: cos.length - summary.count,
  };
}

/** JSON has no NaN or Infinity: an undefined statistic is written as null. */
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** minCos, meanCos, medianCos, maxCos, fractionNegative, cosP05 … (the names records and measure.json use). */
export function cosineFields(s: CosineSummary): Record<string, number | null> {
  const out: Record<string, number | null> = {
    cosines: s.count,
    minCos: finiteOrNull(s.min),
    meanCos: finiteOrNull(s.mean),
    medianCos: finiteOrNull(s.median),
    maxCos: finiteOrNull(s.max),
    fractionNegative: finiteOrNull(s.fractionNegative),
  };
  for (const [k, v] of Object.entries(s.quantiles)) out[`cos${k.toUpperCase()}`] = finiteOrNull(v);
  return out;
}
