import { ConfigError, ShapeError } from '@overparam/core';
import { bin, thresholdFreedmanDiaconis, thresholdScott, thresholdSturges } from 'd3-array';

/** How many bins: a count, or a rule from d3-array (Sturges is d3's default). */
export type BinRule = 'sturges' | 'scott' | 'freedman-diaconis';
export const binRules: readonly BinRule[] = ['sturges', 'scott', 'freedman-diaconis'];

export interface HistogramOptions {
  /** A bin count or a rule. Default `sturges`. */
  readonly bins?: number | BinRule;
  /** [low, high]; values outside are counted in `outside`, not binned. Default the data's range.
   *  Fix it (e.g. [−1, 1] for cosines) to compare histograms of different runs bin by bin. */
  readonly domain?: readonly [number, number];
}

export interface Histogram {
  /** Bin edges, `bins + 1` of them; bin k is [edges[k], edges[k+1]), the last one closed. */
  readonly edges: Float64Array;
  readonly counts: Uint32Array;
  /** counts / (binned · width): a density that integrates to 1 over the domain. */
  readonly density: Float64Array;
  /** Values that fell in a bin. */
  readonly binned: number;
  /** Values outside the domain. */
  readonly outside: number;
}

function binCount(spec: number | BinRule, values: readonly number[], lo: number, hi: number): number {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1) throw new ConfigError('bins', `must be a positive integer or one of ${binRules.join(', ')}, got ${spec}`);
    return spec;
  }
  if (spec === 'sturges') return thresholdSturges(values);
  if (spec === 'scott') return thresholdScott(values, lo, hi);
  if (spec === 'freedman-diaconis') return thresholdFreedmanDiaconis(values, lo, hi);
  throw new ConfigError('bins', `unknown rule '${String(spec)}'; expected a positive integer or one of ${binRules.join(', ')}`);
}

/**
 * Histogram of `values` with equal-width bins over `domain`, binned by d3-array's `bin`. We pass
 * explicit thresholds because given only a count d3 "nices" the edges, and a metric's bins must
 * be exactly the ones asked for.
 */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const x = Array.from(values);
  if (x.length === 0) throw new ShapeError('histogram: no values; pass at least one');
  const bad = x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new ConfigError('values', `value ${bad} is ${x[bad]}; drop non-finite values before binning`);
  let lo: number;
  let hi: number;
  if (options.domain !== undefined) {
    [lo, hi] = options.domain;
    if (!(hi > lo)) throw new ConfigError('domain', `must be [low, high] with low < high, got [${lo}, ${hi}]`);
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (const v of x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // All values equal: one unit-wide bin around them rather than a zero-width one.
    if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  const inside = x.filter((v) => v >= lo && v <= hi);
  const k = Math.max(1, binCount(options.bins ?? 'sturges', inside.length > 0 ? inside : x, lo, hi));
  const edges = new Float64Array(k + 1);
  for (let i = 0; i <= k; i++) edges[i] = lo + ((hi - lo) * i) / k;
  edges[k] = hi;

  const bins = bin()
    .domain([lo, hi])
    .thresholds(Array.from(edges.subarray(1, k)))(x);
  const counts = new Uint32Array(k);
  bins.forEach((b, i) => (counts[i] = b.length));
  const binned = counts.reduce((s, c) => s + c, 0);
  const density = new Float64Array(k);
  for (let i = 0; i < k; i++) density[i] = binned === 0 ? 0 : counts[i]! / (binned * (edges[i + 1]! - edges[i]!));
  return { edges, counts, density, binned, outside: x.length - binned };
}
