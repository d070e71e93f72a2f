import { OverparamError } from '@overparam/core';
import { pickLearningRate, type LrPick, type LrSearch } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { checkLrPicks, gridPointLabel, runsAtPickedRates } from './lr-picks';
import type { ReportRun } from './run-view';

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

function run(id: string, overrides?: Record<string, unknown>): ReportRun {
  return { id, status: 'completed', config: null, info: null, summary: null, records: [], seed: 0, settings: {}, setting: id, ...(overrides !== undefined ? { overrides } : {}) };
}

describe('checkLrPicks', () => {
  it('keeps what the report shows of each pick as experiments wrote it', () => {
    const checked = checkLrPicks(JSON.parse(JSON.stringify(picks)), 'lr-search.json');
    expect(checked).toEqual(picks.map(({ point, rule, lr, reason, onEdge }) => ({ point, rule, lr, reason, onEdge })));
  });

  it.each([
    ['not a list', { picks }, /lr-search\.json is not a list/],
    ['an entry without a point', [{ ...picks[0], point: null }], /entry 0 has no `point`/],
    ['a rate that is not a number', [picks[0], { ...picks[1], lr: '0.1' }], /entry 1 has lr "0\.1"/],
    ['a negative rate', [{ ...picks[0], lr: -1 }], /entry 0 has lr -1/],
    ['no reason', [{ ...picks[0], reason: 3 }], /entry 0 has no `reason`/],
    ['no edge flag', [{ ...picks[0], onEdge: 'no' }], /entry 0 has no boolean `onEdge`/],
    ['no candidates', [{ ...picks[0], candidates: undefined }], /entry 0 has no `candidates`/],
  ])('refuses %s with a typed error naming the file', (_, value, message) => {
    expect(() => checkLrPicks(JSON.parse(JSON.stringify(value)), 'lr-search.json')).toThrow(OverparamError);
    expect(() => checkLrPicks(JSON.parse(JSON.stringify(value)), 'lr-search.json')).toThrow(message);
  });
});

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
    const expected = runs.filter((r) => picks.some((p) => p.lr === r.overrides?.['lr'] && p.point['width'] === r.overrides?.['width'] && p.point['dataSeed'] === r.overrides?.['dataSeed']));
    expect(expected.length).toBeGreaterThan(0);
    expect(runsAtPickedRates(runs, picks).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('labels a grid point as the legends label settings', () => {
    expect(gridPointLabel({ 'archOptions.width': 8, activation: 'relu' })).toBe('width=8, activation=relu');
    expect(gridPointLabel({})).toMatch(/every run/);
  });
});
