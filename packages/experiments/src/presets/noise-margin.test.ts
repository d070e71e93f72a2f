import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { splitByTraining } from './criteria';
import { binomialTail, compareGroups, compareToBound, compareTrends, judgeEffect, judgeWithin, logSlope, meanAndError, seedTrendCriterion, settingValues } from './noise-margin';
import type { CellResult } from './preset';

/** A completed run at depth `depth` (seed `seed`) whose end-of-training min cosine is `minCos`. */
function run(depth: number, seed: number, minCos: number, finalTrainLoss = 0.1): CellResult {
  return {
    id: `d${depth}s${seed}`,
    overrides: { 'archOptions.depth': depth },
    seed,
    config: parseRunConfig({ arch: 'mlp', archOptions: { depth }, data: 'synthetic', seed }),
    status: 'completed',
    summary: { finalTrainLoss } as CellResult['summary'],
    records: [{ kind: 'minibatch-confusion', step: 10, epoch: 0, minCos }],
  };
}

/** Depths 1, 10, 100 (log₁₀ 0, 1, 2), three seeds each, y = slope · log₁₀ β + noise · {−1, 0, +1}. */
function runs(slope: number, noise: number): CellResult[] {
  return [1, 10, 100].flatMap((depth) => [-1, 0, 1].map((e, seed) => run(depth, seed, slope * Math.log10(depth) + noise * e)));
}
const read = (c: CellResult) => c.records[0]!['minCos'] as number;
const trendOf = (cells: CellResult[], direction: 'rises' | 'falls') => seedTrendCriterion({ name: 't', cells, path: 'archOptions.depth', read, direction, symbol: 'β' });

describe('noise margins', () => {
  it('the mean and its standard error are the textbook ones', () => {
    // {1, 2, 3}: mean 2, sample variance 1, SE 1/√3.
    expect(meanAndError([1, 2, 3])).toMatchObject({ mean: 2, sd: 1, n: 3 });
    expect(meanAndError([1, 2, 3]).standardError).toBeCloseTo(1 / Math.sqrt(3), 14);
    expect(meanAndError([4]).standardError).toBeNaN();
  });

  it('the log-slope and its standard error match the closed form', () => {
    // u = 0, 1, 2 three times; y = 2u + {−1, 0, 1}: the noise is symmetric, so the slope is exactly 2;
    // Σ residual² = 3 · 2 = 6 over n − 2 = 7, Σ(u − ū)² = 3 · 2 = 6, so SE = √(6/7/6) = 1/√7.
    const fit = logSlope(settingValues(runs(2, 1), 'archOptions.depth', read));
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.standardError).toBeCloseTo(1 / Math.sqrt(7), 12);
    expect(fit.runs).toBe(9);
    expect(logSlope([{ x: 10, values: [1, 2, 3] }]).slope).toBeNaN();
  });

  it('judges an effect only beyond two standard errors, either way', () => {
    expect(judgeEffect(2.1, 1, 'rises')).toBe('pass');
    expect(judgeEffect(1.9, 1, 'rises')).toBe('inconclusive');
    expect(judgeEffect(-2.1, 1, 'rises')).toBe('fail');
    expect(judgeEffect(-2.1, 1, 'falls')).toBe('pass');
    expect(judgeEffect(0, 0, 'falls')).toBe('inconclusive');
    expect(judgeEffect(1, Number.NaN, 'rises')).toBe('inconclusive');
  });

  it('a trend passes when it clears the noise, is inconclusive inside it, and fails against it', () => {
    // Slope 2 with SE 1/√7 ≈ 0.38: 5.3 SE.
    expect(trendOf(runs(2, 1), 'rises').verdict).toBe('pass');
    expect(trendOf(runs(2, 1), 'falls').verdict).toBe('fail');
    // Noise ×10 gives SE ≈ 3.8: slope 2 is 0.53 SE.
    const noisy = trendOf(runs(2, 10), 'rises');
    expect(noisy.verdict).toBe('inconclusive');
    expect(noisy.measured).toContain('slope 2 ± 3.78 per decade (0.529 SE)');
    expect(noisy.measured).toContain('β 1: 0 ± 5.77 (3)');
  });

  it('is inconclusive with fewer than 3 seeds or settings, and fails when nothing was measured', () => {
    const twoSeeds = runs(2, 1).filter((c) => c.seed < 2);
    expect(trendOf(twoSeeds, 'rises')).toMatchObject({ verdict: 'inconclusive', measured: expect.stringContaining('2 runs at some setting') });
    const twoSettings = runs(2, 1).filter((c) => settingOfDepth(c) < 100);
    expect(trendOf(twoSettings, 'rises')).toMatchObject({ verdict: 'inconclusive', measured: expect.stringContaining('only 2 settings') });
    expect(trendOf([], 'rises').verdict).toBe('fail');
    // Every run left out as not trained: a result (nothing trained), not a broken measurement.
    expect(seedTrendCriterion({ name: 't', cells: [], path: 'archOptions.depth', read, direction: 'rises', symbol: 'β', notTrained: runs(3, 1) })).toMatchObject({ verdict: 'inconclusive', measured: 'no run left to measure' });
  });

  it("compares two groups by Welch's standard error", () => {
    // Means 2 and 5, variances 1 and 1: SE = √(1/3 + 1/3) ≈ 0.816, so −3 is 3.7 SE.
    const c = compareGroups([1, 2, 3], [4, 5, 6], 'falls');
    expect(c.difference).toBeCloseTo(-3, 12);
    expect(c.standardError).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(c.verdict).toBe('pass');
    expect(compareGroups([1, 2, 3], [4, 5, 6], 'rises').verdict).toBe('fail');
    expect(compareGroups([1, 5, 9], [2, 6, 10], 'falls').verdict).toBe('inconclusive');
    expect(compareGroups([1, 2], [4, 5, 6], 'falls').verdict).toBe('inconclusive');
  });

  it('compares two trends by the difference of their slopes', () => {
    // Slopes 2 and −2, each with SE 1/√7: the difference 4 has SE √(2/7) ≈ 0.53, 7.5 SE.
    const rising = settingValues(runs(2, 1), 'archOptions.depth', read);
    const falling = settingValues(runs(-2, 1), 'archOptions.depth', read);
    const c = compareTrends(rising, falling, 'rises');
    expect(c.difference).toBeCloseTo(4, 12);
    expect(c.standardError).toBeCloseTo(Math.sqrt(2 / 7), 12);
    expect(c.verdict).toBe('pass');
    expect(compareTrends(rising, falling, 'falls').verdict).toBe('fail');
    expect(compareTrends(rising, settingValues(runs(1.5, 10), 'archOptions.depth', read), 'rises').verdict).toBe('inconclusive');
    expect(compareTrends(rising, falling.slice(0, 2), 'rises')).toMatchObject({ verdict: 'inconclusive', why: expect.stringContaining('only 2 settings') });
  });

  it('a run whose final loss stayed near chance is not trained', () => {
    // ln 10 ≈ 2.303; 0.9 of it ≈ 2.07.
    const cells = [run(3, 0, -0.3, 0.2), run(3, 1, -0.3, 2.1), run(3, 2, -0.3, 2.0), { ...run(3, 3, 0), summary: undefined }];
    const { trained, notTrained } = splitByTraining(cells, 10);
    expect(trained.map((c) => c.seed)).toEqual([0, 2]);
    expect(notTrained.map((c) => c.seed)).toEqual([1, 3]);
  });
});

function settingOfDepth(c: CellResult): number {
  return c.overrides['archOptions.depth'] as number;
}

describe('judging against a bound', () => {
  it('compares a mean to a fixed bound with its standard error', () => {
    // Mean 2, SE 1/√3 ≈ 0.577: 1 below is 1.7 SE, 1.5 below is 2.6 SE.
    expect(compareToBound([1, 2, 3], 0.5, 'rises')).toMatchObject({ verdict: 'pass', mean: 2 });
    expect(compareToBound([1, 2, 3], 1, 'rises').verdict).toBe('inconclusive');
    expect(compareToBound([1, 2, 3], 3.5, 'rises').verdict).toBe('fail');
    expect(compareToBound([1, 2, 3], 3.5, 'falls').verdict).toBe('pass');
    expect(compareToBound([1, 2], 10, 'falls')).toMatchObject({ verdict: 'inconclusive', why: '2 runs; the noise needs 3' });
  });

  it('passes an equivalence only when the whole 2-SE interval lies inside the bound', () => {
    expect(judgeWithin(0.01, 0.004, 0.02)).toBe('pass');
    expect(judgeWithin(-0.01, 0.004, 0.02)).toBe('pass');
    // A zero slope with a wide error is not evidence of flatness.
    expect(judgeWithin(0, 0.011, 0.02)).toBe('inconclusive');
    expect(judgeWithin(0.05, 0.01, 0.02)).toBe('fail');
    expect(judgeWithin(-0.05, 0.01, 0.02)).toBe('fail');
    expect(judgeWithin(0.01, Number.NaN, 0.02)).toBe('inconclusive');
  });

  it('gives the binomial upper tail of the closed forms', () => {
    // P(X ≥ 1) = 1 − (1 − p)ⁿ; P(X ≥ n) = pⁿ; P(X ≥ 2) for n = 3, p = ½ is 4/8.
    expect(binomialTail(1, 30, 0.01)).toBeCloseTo(1 - 0.99 ** 30, 12);
    expect(binomialTail(3, 3, 0.1)).toBeCloseTo(0.001, 12);
    expect(binomialTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialTail(0, 5, 0.3)).toBe(1);
    expect(binomialTail(6, 5, 0.3)).toBe(0);
  });
});
