import { describe, expect, it } from 'vitest';
import { picks } from '../sweep/lr-picks-fixture';
import { runsAtPickedRates } from './picked-rates';
import type { RunView } from './run-view';

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

  it('compares grid values that are objects (an optimizer spec) by content, not by identity', () => {
    const point = { optimizer: { name: 'momentum', momentum: 0.9 } };
    const runs = [
      run('same-spec-other-key-order', { lr: 0.1, optimizer: { momentum: 0.9, name: 'momentum' } }),
      run('other-momentum', { lr: 0.1, optimizer: { name: 'momentum', momentum: 0.5 } }),
      run('other-rate', { lr: 0.01, optimizer: { name: 'momentum', momentum: 0.9 } }),
    ];
    expect(runsAtPickedRates(runs, [{ point, lr: 0.1 }]).map((r) => r.id)).toEqual(['same-spec-other-key-order']);
  });
});
