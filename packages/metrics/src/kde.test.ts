import { createRng, isOverparamError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { gaussianKde, kdeBandwidth, poolValues } from './kde';

/** Cosine-like values in [−1, 1]: a skewed mixture, so the rules disagree and IQR ≠ 1.349 σ. */
function sampleCosines(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, (_, i) => Math.tanh(i % 3 === 0 ? 0.8 + 0.3 * rng.normal() : 0.1 * rng.normal() - 0.2));
}

/** Independent references, written out in float64: sample sd (n − 1), IQR by linear interpolation. */
function sd(x: ArrayLike<number>): number {
  const v = Array.from(x);
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  return Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / (v.length - 1));
}

function directDensity(values: ArrayLike<number>, h: number, at: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(-0.5 * ((at - values[i]!) / h) ** 2);
  return sum / (values.length * h * Math.sqrt(2 * Math.PI));
}

describe('gaussianKde', () => {
  const values = sampleCosines(500, 3);

  it('matches a direct float64 sum of Gaussians on its grid, for every bandwidth rule', () => {
    const n = values.length;
    const expected = { scott: sd(values) * n ** -0.2, silverman: sd(values) * ((3 * n) / 4) ** -0.2 };
    for (const rule of ['scott', 'silverman'] as const) {
      const kde = gaussianKde(values, { bandwidth: rule, points: 101 });
      // Both sides are the same O(n) float64 sum in a different order: agreement to ~1e-15 relative.
      expect(Math.abs(kde.bandwidth / expected[rule] - 1)).toBeLessThan(1e-12);
      expect(kde.rule).toBe(rule);
      expect(kde.count).toBe(n);
      kde.x.forEach((x, k) => expect(Math.abs(kde.density[k]! - directDensity(values, expected[rule], x))).toBeLessThan(1e-12));
    }
  });

  it('uses the normal-reference rule for `nrd`: 1.06 · min(sd, IQR/1.34) · n^(−1/5)', () => {
    // 0…10: sd = √11 is the smaller term (IQR/1.34 ≈ 4.5), so h = 1.06 · √11 · 11^(−1/5).
    const x = Array.from({ length: 11 }, (_, i) => i);
    expect(kdeBandwidth(x, 'nrd') / (1.06 * Math.sqrt(11) * 11 ** -0.2)).toBeCloseTo(1, 12);
    // One far outlier inflates sd, and the IQR term takes over. Quantiles by linear interpolation
    // (R type 7, as R's bw.nrd uses): Q1 at position 2.75, Q3 at 8.25 of 0…10, 1000: IQR = 5.5.
    const y = [...x, 1000];
    expect(kdeBandwidth(y, 'nrd') / (1.06 * (5.5 / 1.34) * 12 ** -0.2)).toBeCloseTo(1, 12);
  });

  it('integrates to 1 over a range wide enough to hold every kernel', () => {
    const kde = gaussianKde(values, { bandwidth: 0.05, range: [-1.5, 1.5], points: 3001 });
    const dx = kde.x[1]! - kde.x[0]!;
    let integral = 0;
    for (let k = 1; k < kde.x.length; k++) integral += 0.5 * dx * (kde.density[k]! + kde.density[k - 1]!);
    // Trapezoid error for a Gaussian of width 0.05 with dx = 0.001 is ~dx²/h² · 1e-2 ≈ 4e-6.
    expect(Math.abs(integral - 1)).toBeLessThan(1e-4);
  });

  it('pools runs by concatenation, so the pooled estimate is the count-weighted mean of the runs', () => {
    const a = sampleCosines(60, 1);
    const b = sampleCosines(140, 2);
    const pooled = poolValues([a, b]);
    expect(Array.from(pooled)).toEqual([...a, ...b]);
    const opts = { bandwidth: 0.1, range: [-1, 1] as const, points: 21 };
    const p = gaussianKde(pooled, opts);
    const ka = gaussianKde(a, opts);
    const kb = gaussianKde(b, opts);
    p.density.forEach((d, k) => expect(d).toBeCloseTo((60 * ka.density[k]! + 140 * kb.density[k]!) / 200, 12));
  });

  it('rejects empty, non-finite and spread-less input with typed errors that say what to do', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(isOverparamError(e)).toBe(true);
        return (e as { code: string; message: string }).code;
      }
      throw new Error('expected an error');
    };
    expect(code(() => gaussianKde([]))).toBe('SHAPE_MISMATCH');
    expect(code(() => gaussianKde([0.1, Number.NaN]))).toBe('CONFIG_INVALID');
    expect(code(() => gaussianKde([0.3, 0.3, 0.3]))).toBe('CONFIG_INVALID');
    expect(() => gaussianKde([0.3, 0.3, 0.3])).toThrow(/fixed bandwidth/);
    expect(gaussianKde([0.3, 0.3, 0.3], { bandwidth: 0.01 }).rule).toBe('fixed');
    expect(code(() => gaussianKde(values, { bandwidth: -1 }))).toBe('CONFIG_INVALID');
    expect(code(() => gaussianKde(values, { points: 1 }))).toBe('CONFIG_INVALID');
    expect(code(() => gaussianKde(values, { range: [1, -1] }))).toBe('CONFIG_INVALID');
  });
});
