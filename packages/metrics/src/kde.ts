import { ConfigError, ShapeError } from '@overparam/core';
import { interquartileRange, kernelDensityEstimation, sampleStandardDeviation } from 'simple-statistics';

/**
 * Bandwidth rules for a 1-D Gaussian KDE, with σ̂ the sample standard deviation (n − 1):
 * - `scott`: h = σ̂ · n^(−1/5), the default of scipy's `gaussian_kde` (which seaborn's `kdeplot` uses);
 * - `silverman`: h = σ̂ · (3n/4)^(−1/5), scipy's `silverman`;
 * - `nrd`: h = 1.06 · min(σ̂, IQR/1.34) · n^(−1/5), R's `bw.nrd` (IQR from type-7 quantiles),
 *   simple-statistics' default.
 * The paper (Sankararaman et al. (2020), appendix A.2) names no rule, only "kernel density estimation" of pooled cosines
 * with a Gaussian kernel. Scott's rule is our default: it is the default of the Python tools
 * such figures are usually drawn with, and the rule is recorded with every estimate.
 */
export type BandwidthRule = 'scott' | 'silverman' | 'nrd';
export const bandwidthRules: readonly BandwidthRule[] = ['scott', 'silverman', 'nrd'];

export interface KdeOptions {
  /** A rule name or a fixed bandwidth h > 0. Default `scott`. */
  readonly bandwidth?: BandwidthRule | number;
  /** Grid points, evenly spaced, ends included. Default 512. */
  readonly points?: number;
  /** Grid ends. Default [min − 3h, max + 3h], where the density has fallen to ~1% of a lone point's peak. */
  readonly range?: readonly [number, number];
}

export interface Kde {
  /** Grid positions. */
  readonly x: Float64Array;
  /** Estimated density at each grid position (integrates to ~1 over a range that covers the data). */
  readonly density: Float64Array;
  readonly bandwidth: number;
  /** The rule that chose the bandwidth, or `fixed`. */
  readonly rule: BandwidthRule | 'fixed';
  /** Number of values the estimate pools. */
  readonly count: number;
}

function checkedValues(values: ArrayLike<number>): number[] {
  if (values.length === 0) throw new ShapeError('kde: no values to estimate a density from; pass at least two cosines');
  const out = Array.from(values);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ConfigError('values', `value ${bad} is ${out[bad]}; drop non-finite cosines (e.g. from a zero gradient) before the KDE`);
  return out;
}

/** The bandwidth `rule` picks for `values`. */
export function kdeBandwidth(values: ArrayLike<number>, rule: BandwidthRule = 'scott'): number {
  const x = checkedValues(values);
  if (!bandwidthRules.includes(rule)) throw new ConfigError('bandwidth', `unknown rule '${String(rule)}'; expected one of ${bandwidthRules.join(', ')} or a positive number`);
  if (x.length < 2) throw new ShapeError(`kde: a bandwidth rule needs at least two values, got ${x.length}; pass a fixed bandwidth instead`);
  const n = x.length;
  const sd = sampleStandardDeviation(x);
  let h: number;
  if (rule === 'scott') h = sd * n ** -0.2;
  else if (rule === 'silverman') h = sd * ((3 * n) / 4) ** -0.2;
  else h = 1.06 * Math.min(sd, interquartileRange(x) / 1.34) * n ** -0.2;
  if (!(h > 0)) throw new ConfigError('bandwidth', `rule '${rule}' gives h = ${h} because the values have no spread; pass a fixed bandwidth such as 0.01`);
  return h;
}

/** Concatenates several runs' values, as the paper pools runs before its KDE. */
export function poolValues(runs: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const out = new Float64Array(runs.reduce((s, r) => s + r.length, 0));
  let at = 0;
  for (const r of runs) for (let i = 0; i < r.length; i++) out[at++] = r[i]!;
  return out;
}

/**
 * Gaussian kernel density estimate of `values` on an even grid:
 * f(x) = (1 / (n h)) Σ_i φ((x − v_i) / h). The sum is exact (simple-statistics evaluates it
 * directly), so it costs O(n · points): ~0.3 s for 50,000 values on 512 points.
 */
export function gaussianKde(values: ArrayLike<number>, options: KdeOptions = {}): Kde {
  const x = checkedValues(values);
  const spec = options.bandwidth ?? 'scott';
  let h: number;
  if (typeof spec === 'number') {
    if (!(spec > 0) || !Number.isFinite(spec)) throw new ConfigError('bandwidth', `must be a positive number or one of ${bandwidthRules.join(', ')}, got ${spec}`);
    h = spec;
  } else h = kdeBandwidth(x, spec);

  const points = options.points ?? 512;
  if (!Number.isInteger(points) || points < 2) throw new ConfigError('points', `must be an integer ≥ 2, got ${points}`);
  let lo: number;
  let hi: number;
  if (options.range !== undefined) {
    [lo, hi] = options.range;
    if (!(hi > lo)) throw new ConfigError('range', `must be [low, high] with low < high, got [${lo}, ${hi}]`);
  } else {
    // A loop, not Math.min(...x): spreading ~10⁵ arguments overflows the stack.
    let min = Infinity;
    let max = -Infinity;
    for (const v of x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo = min - 3 * h;
    hi = max + 3 * h;
  }

  const f = kernelDensityEstimation(x, 'gaussian', h);
  const grid = new Float64Array(points);
  const density = new Float64Array(points);
  for (let k = 0; k < points; k++) {
    grid[k] = lo + ((hi - lo) * k) / (points - 1);
    density[k] = f(grid[k]!);
  }
  return { x: grid, density, bandwidth: h, rule: typeof spec === 'number' ? 'fixed' : spec, count: x.length };
}
