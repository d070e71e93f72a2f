import type { RunRecord } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { lossCurveData } from './charts/loss-curves';
import { aboveOptimum } from './excess-loss';
import { buildReport } from './report-model';
import type { LabelledRunView } from '@overparam/experiments';

const train = (step: number, loss: number): RunRecord => ({ kind: 'train', step, epoch: 0, loss });

describe('training loss above the optimum (Arora et al. (2018), appendix C.1)', () => {
  const withOptimum = { run: 'a', setting: 'depth=2', seed: 0, records: [{ kind: 'optimal-loss', step: 0, epoch: 0, optimum: 1.5 }, train(10, 2), train(20, 1.6), train(30, 1.5)] };
  const without = { run: 'b', setting: 'depth=1', seed: 0, records: [train(10, 2)] };

  it('subtracts each run’s own optimum from its train losses and leaves out runs without one', () => {
    const offset = aboveOptimum([withOptimum, without]);
    expect(offset.map((r) => r.run)).toEqual(['a']);
    const losses = offset[0]!.records.map((r) => [r.kind, r.step, r['loss']]);
    expect(losses[0]).toEqual(['train', 10, 0.5]);
    expect(losses[1]![2]).toBeCloseTo(0.1, 12);
    expect(losses[2]).toEqual(['train', 30, 0]);
    // The log-axis chart keeps the positive differences only: the run at its optimum has no point.
    expect(lossCurveData(offset).points.map((p) => p.step)).toEqual([10, 20]);
  });

  it('becomes a report figure only when some run recorded the optimum', () => {
    const run = (id: string, records: RunRecord[]): LabelledRunView =>
      ({ id, status: 'completed', setting: id, settings: {}, seed: 0, overrides: {}, config: undefined, summary: undefined, records }) satisfies LabelledRunView;
    const ids = (runs: LabelledRunView[]) => buildReport(runs, { title: 't' }).figures.map((f) => f.id);
    expect(ids([run('a', withOptimum.records), run('b', without.records)])).toContain('training-loss-above-optimum');
    expect(ids([run('b', without.records)])).not.toContain('training-loss-above-optimum');
  });
});
