import { describe, expect, it } from 'vitest';
import { pickLearningRate, type LrPick, type LrSearch } from '../sweep/lr-search';
import { runsAtPickedRates } from './picked-rates';
import type { RunView } from './run-view';

const search: LrSearch = { rule: 'sankararaman-a1', grid: [0.01, 0.1], runs: 1, minCompleted: 1 };
const summary = (finalTrainLoss: number) => ({ outcome: 'completed', finalTrainLoss }) as never;
// experiments' own rule, so the file checked is what a sweep writes: at width 8 rate 0.1 has the lower loss, at width 16 rate 0.01.
const picks: LrPick[] = [
  pickLearningRate(search, { width: 8, dataSeed: 3 }, [
    { lr: 0.01, summary: summary(0.5), records: [] },
    { lr: 0.1, summary: summary(0.2), records: [] },
  ]),
  pickLearningRate(search, { width: 16, dataSeed: 3 }, [
    { lr: 0.01, summary: summary(0.1), records: [] },
    { lr: 0.1, summary: summary(0.4), records: [] },
  ]),
  pickLearningRate(search, { width: 32, dataSeed: 3 }, []),
];

function run(id: string, overrides?: Record<string, unknown>): RunView {
  return { id, status: 'completed', overrides: overrides ?? {}, config: undefined, summary: undefined, records: [], seed: 0 };
}

describe('runsAtPickedRates', () => {
  it('keeps the runs at their grid point’s picked rate, whatever the key order, and none where no rate was eligible', () => {
    const runs = [
      run('w8-lr0.1', { lr: 0.1, dataSeed: 3, width: 8 }),
      run('w8-lr0.01', { width: 8, dataSeed: 3, lr: 0.01 }),
      run('w16-lr0.1', { width: 16, dataSeed: 3, lr: 0.1 }),
      run('w16-lr0.01', { dataSeed: 3, width: 16, lr: 0.01 }),
      // Another data draw is another grid point, with no pick of its own.
      run('w16-lr0.01-data4', { width: 16, dataSeed: 4, lr: 0.01 }),
      run('w32-lr0.1', { width: 32, dataSeed: 3, lr: 0.1 }),
      run('outside-the-sweep'),
    ];
    const expected = runs.filter((r) => picks.some((p) => p.lr === r.overrides['lr'] && p.point['width'] === r.overrides['width'] && p.point['dataSeed'] === r.overrides['dataSeed']));
    expect(expected.length).toBeGreaterThan(0);
    expect(runsAtPickedRates(runs, picks).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });
});
