import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { atPickedRates, fitLine, fitLineWithError, groupBy, lossRatio, maxRelativeGap, pickedCell, rankCorrelation, settingOf, stepsToLoss, trend, trendCriterion, valueCriterion } from './criteria';
import type { LrPick } from '../sweep/lr-search';
import type { CellResult, SweepResult } from './preset';

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

  it('keeps, per grid point, the runs at the rate the LR search picked', () => {
    const at = (depth: number, lr: number, seed: number): CellResult => ({ ...cell(depth, -0.1, seed), id: `d${depth}lr${lr}s${seed}`, overrides: { 'archOptions.depth': depth, lr } });
    const cells = [at(2, 0.1, 0), at(2, 0.1, 1), at(2, 0.01, 0), at(2, 0.01, 1), at(4, 0.1, 0), at(4, 0.01, 0)];
    const pick = (depth: number, lr: number | null): LrPick => ({ point: { 'archOptions.depth': depth }, rule: 'sankararaman-a1', lr, reason: '', onEdge: false, candidates: [] });
    expect(atPickedRates({ key: 'k', cells, lrPicks: [pick(2, 0.01), pick(4, 0.1)] }).map((c) => c.id)).toEqual(['d2lr0.01s0', 'd2lr0.01s1', 'd4lr0.1s0']);
    // No eligible rate at depth 4: none of its runs stands for it.
    expect(atPickedRates({ key: 'k', cells, lrPicks: [pick(2, 0.1), pick(4, null)] }).map((c) => c.id)).toEqual(['d2lr0.1s0', 'd2lr0.1s1']);
    expect(atPickedRates({ key: 'k', cells })).toHaveLength(cells.length);
  });

  it('divides the last loss record by the first, of the kind asked for', () => {
    const base = cell(2, -0.1);
    const records = [
      { kind: 'full-loss', step: 0, loss: 4 },
      { kind: 'train', step: 10, loss: 3 },
      { kind: 'full-loss', step: 20, loss: 1 },
      { kind: 'train', step: 20, loss: 0.3 },
    ] as unknown as CellResult['records'];
    expect(lossRatio({ ...base, records })).toBeCloseTo(0.25, 12);
    expect(lossRatio({ ...base, records }, 'train')).toBeCloseTo(0.1, 12);
    expect(lossRatio({ ...base, records: [] })).toBeUndefined();
  });

  it('fits a line by least squares', () => {
    const { slope, intercept } = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(slope).toBeCloseTo(2, 12);
    expect(intercept).toBeCloseTo(1, 12);
  });

  it('gives the slope with its standard error √(Σ residual² / (n − 2) / Sxx)', () => {
    // By hand: x̄ = 1.5, Sxx = 5, Sxy = 6, so slope 1.2, intercept 0.2; residuals ∓0.2, ±0.6 sum to 0.8 in squares.
    const fit = fitLineWithError([0, 1, 2, 3], [0, 2, 2, 4]);
    expect(fit.slope).toBeCloseTo(1.2, 12);
    expect(fit.intercept).toBeCloseTo(0.2, 12);
    expect(fit.standardError).toBeCloseTo(Math.sqrt(0.8 / 2 / 5), 12);
    expect(fitLineWithError([0, 1, 2], [1, 3, 5]).standardError).toBeCloseTo(0, 12);
    expect(fitLineWithError([0, 1], [1, 3]).standardError).toBeNaN();
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
    expect(trendCriterion({ name: 'falls', cells: falling, path: 'archOptions.depth', read, direction: 'falls', label: 'min cos' }).verdict).toBe('pass');
    expect(trendCriterion({ name: 'rises', cells: falling, path: 'archOptions.depth', read, direction: 'rises', label: 'min cos' }).verdict).toBe('fail');
    const two = trendCriterion({ name: 'x', cells: falling.slice(0, 2), path: 'archOptions.depth', read, direction: 'falls', label: 'min cos' });
    expect(two.verdict).toBe('fail');
    expect(two.measured).toMatch(/only 2 settings/);
  });

  it('keeps, per grid point, the completed runs at the rate the rule picked', () => {
    const at = (depth: number, lr: number, seed: number, status: CellResult['status'] = 'completed'): CellResult => ({
      ...cell(depth, -0.1, seed),
      id: `d${depth}lr${lr}s${seed}`,
      overrides: { 'archOptions.depth': depth, lr },
      status,
    });
    const pick = (depth: number, lr: number | null): LrPick => ({ point: { 'archOptions.depth': depth }, rule: 'sankararaman-a1', lr, reason: '', onEdge: false, candidates: [] });
    const cells = [at(2, 0.1, 0), at(2, 0.1, 1, 'diverged'), at(2, 0.01, 0), at(4, 0.1, 0), at(4, 0.01, 0), at(4, 0.01, 1), at(8, 0.1, 0)];
    const searched: SweepResult = { key: 'k', cells, lrPicks: [pick(2, 0.1), pick(4, 0.01), pick(8, null)] };
    expect(atPickedRates(searched).map((c) => c.id)).toEqual(['d2lr0.1s0', 'd4lr0.01s0', 'd4lr0.01s1']);
    // Without a search every completed cell counts.
    expect(atPickedRates({ key: 'k', cells }).map((c) => c.id)).toEqual(cells.filter((c) => c.status === 'completed').map((c) => c.id));
  });

  it('fails a value criterion that has nothing to judge', () => {
    expect(valueCriterion('v', undefined, '> 0', (v) => v > 0)).toMatchObject({ verdict: 'fail', measured: 'not measured' });
    expect(valueCriterion('v', Number.NaN, '> 0', (v) => v > 0).verdict).toBe('fail');
    expect(valueCriterion('v', 2, '> 0', (v) => v > 0)).toMatchObject({ verdict: 'pass', measured: '2' });
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
