/** Mean and sample standard deviation (n − 1; 0 for a single value) in float64. */
export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  readonly n: number;
}

export function meanStd(values: readonly number[]): MeanStd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  // Seeds are a sample of initializations, so the spread is the unbiased (n − 1) one.
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/**
 * Geometric mean and the band exp(mean ± std) of ln(values), for positive values on a log axis:
 * an arithmetic mean − std can fall below zero there, where a log axis has no place for it.
 */
export function geometricBand(values: readonly number[]): { center: number; lower: number; upper: number; n: number } {
  const logs = meanStd(values.map(Math.log));
  return { center: Math.exp(logs.mean), lower: Math.exp(logs.mean - logs.std), upper: Math.exp(logs.mean + logs.std), n: logs.n };
}
