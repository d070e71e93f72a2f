import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import { fitLine, groupBy, maxRelativeGap, rankCorrelation, settingOf, trend, trendCriterion, valueCriterion } from './criteria';
import type { CellResult } from './preset';

/** A completed cell whose last `confusion` record says `minCos`, at depth `depth`. */
function cell(depth: number, minCos: number, seed = 0): CellResult {
  const config = parseRunConfig({ arch: 'mlp', archOptions: { depth }, data: 'synthetic', seed });
  return {
    id: `d${depth}s${seed}`,
    overrides: { 'archOptions.depth': depth },
    seed,
    config,
    status: 'completed',
    summary: undefined,
    records: [{ kind: 'confusion', step: 10, epoch: 0, minCos }],
  };
}

describe('criteria helpers', () => {
  it('the max relative gap of two curves is taken over the steps both logged, relative to the reference', () => {
    const curve = (losses: ReadonlyArray<[number, number]>): CellResult => ({ ...cell(2, 0), records: losses.map(([step, loss]) => ({ kind: 'train', step, epoch: 0, loss })) });
    const reference = curve([
      [10, 2],
      [20, 1],
      [30, 0.5],
    ]);
    // |2.2 − 2| / 2 = 0.1, |0.9 − 1| / 1 = 0.1, |0.6 − 0.5| / 0.5 = 0.2; step 40 has no reference.
    const other = curve([
      [10, 2.2],
      [20, 0.9],
      [30, 0.6],
      [40, 100],
    ]);
    expect(maxRelativeGap(other, reference, 'train', 'loss')).toBeCloseTo(0.2, 12);
    // Relative to the other curve instead: 0.2 / 2.2, 0.1 / 0.9 and 0.1 / 0.6, the last the largest.
    expect(maxRelativeGap(reference, other, 'train', 'loss')).toBeCloseTo(0.1 / 0.6, 12);
    expect(maxRelativeGap(reference, reference, 'train', 'loss')).toBe(0);
    expect(maxRelativeGap(other, curve([[5, 1]]), 'train', 'loss')).toBeUndefined();
  });

  it("rank correlation is Spearman's ρ: ±1 for monotone data, the textbook value otherwise", () => {
    expect(rankCorrelation([1, 2, 3, 4], [10, 20, 25, 90])).toBeCloseTo(1, 12);
    expect(rankCorrelation([1, 2, 3, 4], [5, 4, 3, -1])).toBeCloseTo(-1, 12);
    // Ranks y: [2, 1, 4, 3]; d = [-1, 1, -1, 1]; ρ = 1 − 6·4 / (4·15) = 0.6.
    expect(rankCorrelation([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6, 12);
    expect(rankCorrelation([1, 2], [1, 2])).toBeNaN();
    expect(rankCorrelation([1, 2, 3], [7, 7, 7])).toBeNaN();
  });

  it('fits a line by least squares', () => {
    const { slope, intercept } = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(slope).toBeCloseTo(2, 12);
    expect(intercept).toBeCloseTo(1, 12);
  });

  it('reads settings from overrides first, then the resolved config', () => {
    const c = cell(4, -0.1);
    expect(settingOf(c, 'archOptions.depth')).toBe(4);
    expect(settingOf(c, 'archOptions.width')).toBe(100);
    expect(settingOf(c, 'lr')).toBe(0.05);
  });

  it('averages over seeds per setting and sorts by the setting', () => {
    const cells = [cell(8, -0.3, 0), cell(2, -0.1, 0), cell(8, -0.5, 1), cell(2, 0.1, 1)];
    expect([...groupBy(cells, 'archOptions.depth').keys()]).toEqual([8, 2]);
    const points = trend(cells, 'archOptions.depth', (c) => c.records[0]!['minCos'] as number);
    expect(points.map((p) => [p.x, p.runs])).toEqual([
      [2, 2],
      [8, 2],
    ]);
    expect(points[0]!.y).toBeCloseTo(0, 12);
    expect(points[1]!.y).toBeCloseTo(-0.4, 12);
  });

  it('judges a trend by the sign of ρ and fails plainly with fewer than three settings', () => {
    const read = (c: CellResult) => c.records[0]!['minCos'] as number;
    const falling = [cell(2, -0.1), cell(4, -0.2), cell(8, -0.4)];
    expect(trendCriterion({ name: 'falls', cells: falling, path: 'archOptions.depth', read, direction: 'falls', label: 'min cos' }).passed).toBe(true);
    expect(trendCriterion({ name: 'rises', cells: falling, path: 'archOptions.depth', read, direction: 'rises', label: 'min cos' }).passed).toBe(false);
    const two = trendCriterion({ name: 'x', cells: falling.slice(0, 2), path: 'archOptions.depth', read, direction: 'falls', label: 'min cos' });
    expect(two.passed).toBe(false);
    expect(two.measured).toMatch(/only 2 settings/);
  });

  it('fails a value criterion that has nothing to judge', () => {
    expect(valueCriterion('v', undefined, '> 0', (v) => v > 0)).toMatchObject({ passed: false, measured: 'not measured' });
    expect(valueCriterion('v', Number.NaN, '> 0', (v) => v > 0).passed).toBe(false);
    expect(valueCriterion('v', 2, '> 0', (v) => v > 0)).toMatchObject({ passed: true, measured: '2' });
  });
});
