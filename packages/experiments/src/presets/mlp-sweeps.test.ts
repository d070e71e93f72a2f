import { describe, expect, it } from 'vitest';
import type { LrPick } from '../sweep/lr-search';
import { parseSweep, sweepCells } from '../sweep/sweep';
import { MLP_ACTIVATIONS, MLP_INITS, mlpCriteria, mlpSweep } from './mlp-sweeps';
import type { CellResult, PresetResults } from './preset';
import type { RunSummary } from '../store/summary';

const DEPTHS = [2, 4, 8];

const SEEDS = [0, 1, 2];

/** A completed depth-sweep cell whose confusion records say `initCos` then `endCos`, with `loss` as its final training loss. */
function cell(activation: string, init: string, depth: number, lr: number, seed: number, values: { initCos: number; endCos: number; loss: number }): CellResult {
  const spec = parseSweep({ ...mlpSweep({ axis: 'depth', values: [depth], fixed: 5, data: { data: 'synthetic' }, steps: 4, lr, confusion: { initExamples: 4, endPairs: 2 } }), name: 't' });
  const config = sweepCells(spec).find((c) => c.config.archOptions['activation'] === activation && c.config.archOptions['init'] === init)!.config;
  return {
    id: `${activation}-${init}-${depth}-${lr}-${seed}`,
    overrides: { 'archOptions.activation': activation, 'archOptions.init': init, 'archOptions.depth': depth, lr },
    seed,
    config: { ...config, seed },
    status: 'completed',
    summary: { outcome: 'completed', finalTrainLoss: values.loss } as RunSummary,
    records: [
      { kind: 'confusion', step: 0, epoch: 0, minCos: values.initCos },
      { kind: 'minibatch-confusion', step: 4, epoch: 0, minCos: values.endCos },
    ],
  };
}

/**
 * Every family at every depth, three seeds a little apart (±0.001, far inside the trend): cosines
 * fall and the loss (below chance, ln 10) rises with depth, except where `twist` says otherwise.
 */
function depthSweep(lr: number, twist: (activation: string, depth: number) => number = () => 1, loss: (depth: number) => number = (d) => d / 10): CellResult[] {
  return MLP_ACTIVATIONS.flatMap((activation) =>
    MLP_INITS.flatMap((init) =>
      DEPTHS.flatMap((depth) =>
        SEEDS.map((seed) => cell(activation, init, depth, lr, seed, { initCos: -depth / 10 + 0.001 * seed, endCos: (-depth / 10) * twist(activation, depth) + 0.001 * seed, loss: loss(depth) + 0.001 * seed })),
      ),
    ),
  );
}

describe('the MLP depth and width sweeps', () => {
  it('grid the four families of Sankararaman et al. (2020), appendix A.1 over the swept size, measuring confusion at initialization and at the end', () => {
    const spec = parseSweep({ ...mlpSweep({ axis: 'width', values: [10, 30], fixed: 7, data: { data: 'synthetic' }, steps: 20, lr: { rule: 'sankararaman-a1', grid: [0.1, 0.01], runs: 2 }, confusion: { initExamples: 8, endPairs: 5 } }), name: 'w' });
    const cells = sweepCells(spec);
    // 2 activations × 2 initializers × 2 widths × 2 rates × 2 runs.
    expect(cells).toHaveLength(32);
    expect(new Set(cells.map((c) => `${c.config.archOptions['activation']}/${c.config.archOptions['init']}`))).toEqual(new Set(['tanh/glorot-normal', 'tanh/lecun-normal', 'identity/glorot-normal', 'identity/lecun-normal']));
    expect(cells.every((c) => c.config.archOptions['depth'] === 7 && c.config.batchSize === 128)).toBe(true);
    // Theorem 4.1's per-example check at initialization only, the paper's minibatch pairs of 128 at the end only.
    expect(cells[0]!.config.metrics).toEqual([
      expect.objectContaining({ name: 'confusion', n: 8, start: true, end: false, seed: 0 }),
      expect.objectContaining({ name: 'minibatch-confusion', pairs: 5, batchSize: 128, start: false, end: true, seed: 0 }),
    ]);
  });

  it('judge each family’s trend with the swept size, at initialization, after training and in the final loss', () => {
    const criteria = mlpCriteria({ depth: { key: 'depth', cells: depthSweep(0.1) } }, 'depth', { axis: 'depth', cosine: 'falls' });
    expect(criteria).toHaveLength(12);
    expect(criteria.every((c) => c.verdict === 'pass')).toBe(true);
    // Identity nets whose end-of-training cosine rises with depth fail that criterion only.
    const twisted = mlpCriteria({ depth: { key: 'depth', cells: depthSweep(0.1, (a) => (a === 'identity' ? -1 : 1)) } }, 'depth', { axis: 'depth', cosine: 'falls' });
    const failed = twisted.filter((c) => c.verdict === 'fail').map((c) => c.name);
    expect(failed).toEqual([
      'identity / glorot-normal: min cosine over minibatch-gradient pairs at the end of training falls with depth β',
      'identity / lecun-normal: min cosine over minibatch-gradient pairs at the end of training falls with depth β',
    ]);
    expect(criteria[0]).toMatchObject({ name: 'tanh / glorot-normal: Theorem 4.1 check at initialization: min cosine over per-example gradients falls with depth β', figure: 'min-cosine-vs-depth' });
    expect(criteria[1]!.figure).toBe('minibatch-min-cosine-vs-depth');
  });

  it('leave runs that did not train out of the end-of-training cosine, counting them, but not out of the loss trend', () => {
    // The depth-8 nets end at loss 2.2 (near chance, ln 10 ≈ 2.30): two depths remain for the cosine.
    const cells = depthSweep(0.1, () => 1, (d) => (d === 8 ? 2.2 : d / 10));
    const criteria = mlpCriteria({ depth: { key: 'depth', cells } }, 'depth', { axis: 'depth', cosine: 'falls' });
    expect(criteria[1]).toMatchObject({ verdict: 'inconclusive', measured: expect.stringContaining('3 of 9 runs not trained') });
    expect(criteria[1]!.measured).toMatch(/only 2 settings/);
    expect(criteria[2]!.verdict).toBe('pass');
  });

  it('with one seed per setting, judge nothing: the noise is unknown', () => {
    const criteria = mlpCriteria({ depth: { key: 'depth', cells: depthSweep(0.1).filter((c) => c.seed === 0) } }, 'depth', { axis: 'depth', cosine: 'falls' });
    expect(criteria.every((c) => c.verdict === 'inconclusive')).toBe(true);
  });

  it('report the end-of-training criteria without judging them when told why', () => {
    const results: PresetResults = { depth: { key: 'depth', cells: depthSweep(0.1, () => -1) } };
    const criteria = mlpCriteria(results, 'depth', { axis: 'depth', cosine: 'falls', trainingNotJudged: '10 steps' });
    expect(criteria.filter((c) => c.verdict === 'pass')).toHaveLength(4);
    expect(criteria.filter((c) => c.verdict === 'reported').every((c) => c.name.includes('(reported, not judged: 10 steps)'))).toBe(true);
    expect(criteria.filter((c) => c.verdict === 'fail')).toHaveLength(0);
  });

  it('use only the runs at the rate the rule picked, and list the picks', () => {
    // At lr 0.01 every trend is reversed; the rule picked 0.1.
    const reversed = depthSweep(0.01).map((c) => ({ ...c, summary: { ...c.summary!, finalTrainLoss: -c.summary!.finalTrainLoss! }, records: c.records.map((r) => ({ ...r, minCos: -(r['minCos'] as number) })) }));
    const cells = [...depthSweep(0.1), ...reversed];
    const points = MLP_ACTIVATIONS.flatMap((activation) => MLP_INITS.flatMap((init) => DEPTHS.map((depth) => ({ 'archOptions.activation': activation, 'archOptions.init': init, 'archOptions.depth': depth }))));
    const picked = (lrAt: (depth: number) => number | null): LrPick[] =>
      points.map((point) => ({ point, rule: 'sankararaman-a1', lr: lrAt(point['archOptions.depth']), reason: '', onEdge: point['archOptions.depth'] === 2, candidates: [] }));
    const criteria = mlpCriteria({ depth: { key: 'depth', cells, lrPicks: picked(() => 0.1) } }, 'depth', { axis: 'depth', cosine: 'falls' });
    expect(criteria.filter((c) => c.verdict === 'pass')).toHaveLength(12);
    const picks = criteria.at(-1)!;
    expect(picks).toMatchObject({ verdict: 'reported', measured: expect.stringContaining("4 of 12 on the grid's edge") });
    // Where no rate was eligible the grid point has no run: two depths are left, too few for a trend.
    const partial = mlpCriteria({ depth: { key: 'depth', cells, lrPicks: picked((d) => (d === 8 ? null : 0.1)) } }, 'depth', { axis: 'depth', cosine: 'falls' });
    expect(partial.filter((c) => c.verdict === 'inconclusive')).toHaveLength(12);
    expect(partial[0]!.measured).toMatch(/only 2 settings/);
    expect(partial.at(-1)!.measured).toContain('tanh glorot-normal 8: none eligible');
  });
});
