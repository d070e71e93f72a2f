import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import { fitLine, groupBy, pickedCell, rankCorrelation, settingOf, stepsToLoss, trend, trendCriterion, valueCriterion } from './criteria';
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

  it('finds the first logged step at or below a loss, and the cell a rate rule picked', () => {
    const run = (depth: number, lr: number, losses: number[]): CellResult => ({
      ...cell(depth, 0),
      id: `d${depth}lr${lr}`,
      overrides: { 'archOptions.depth': depth, lr },
      records: losses.map((loss, i) => ({ kind: 'train', step: 10 * (i + 1), epoch: 0, loss })),
    });
    const slow = run(3, 0.01, [5, 2, 0.9, 0.5]);
    expect(stepsToLoss(slow, 1)).toBe(30);
    expect(stepsToLoss(slow, 0.5)).toBe(40);
    expect(stepsToLoss(slow, 0.1)).toBeUndefined();
    expect(stepsToLoss(undefined, 1)).toBeUndefined();
    const cells = [slow, run(3, 0.1, [1, 0.1]), run(1, 0.01, [3, 2]), run(1, 0.1, [2, 1])];
    const pick = (depth: number, lr: number | null) => ({ point: { 'archOptions.depth': depth }, rule: 'arora-c1' as const, lr, reason: '', onEdge: false, candidates: [] });
    const sweep = { key: 'gd', cells, lrPicks: [pick(3, 0.1), pick(1, null)] };
    expect(pickedCell(sweep, { 'archOptions.depth': 3 })?.id).toBe('d3lr0.1');
    expect(pickedCell(sweep, { 'archOptions.depth': 1 })).toBeUndefined();
    expect(pickedCell({ key: 'fixed', cells }, { 'archOptions.depth': 3 })).toBeUndefined();
    // Object-valued grid keys (optimizer specs) match by content, not identity.
    const adagrad = { ...run(1, 0.1, [1]), id: 'adagrad', overrides: { optimizer: { name: 'adagrad' }, lr: 0.1 } };
    const picked = { ...pick(1, 0.1), point: { optimizer: { name: 'adagrad' } } };
    expect(pickedCell({ key: 'adaptive', cells: [adagrad], lrPicks: [picked] }, { optimizer: { name: 'adagrad' } })?.id).toBe('adagrad');
    expect(pickedCell({ key: 'adaptive', cells: [adagrad], lrPicks: [picked] }, { optimizer: { name: 'adadelta' } })).toBeUndefined();
  });
});
