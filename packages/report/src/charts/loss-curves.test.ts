import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { fixtureRecords } from '../test-fixtures';
import { lossCurvesSpec, type LossBand, type LossPoint } from './loss-curves';

const runs = [0, 1].map((seed) => ({ run: `d2-s${seed}`, setting: 'depth=2', seed, records: fixtureRecords({ depth: 2, seed }) }));

describe('lossCurvesSpec', () => {
  it('plots every logged train loss as it was recorded', () => {
    const spec = lossCurvesSpec(runs);
    const points = datasetOf<LossPoint>(spec, 'points');
    const expected = runs.flatMap((r) => r.records.filter((x) => x.kind === 'train').map((x) => ({ run: r.run, step: x.step, loss: x.loss })));
    expect(points.map((p) => ({ run: p.run, step: p.step, loss: p.loss }))).toEqual(expected);
    expectCompilesCleanly(spec);
  });

  it('bands two seeds by the geometric mean ×/÷ exp(std of ln loss)', () => {
    const bands = datasetOf<LossBand>(lossCurvesSpec(runs), 'bands');
    expect(bands).toHaveLength(10);
    for (const b of bands) {
      const [a, c] = runs.map((r) => r.records.find((x) => x.kind === 'train' && x.step === b.step)!.loss as number);
      // Closed form for two values: geometric mean √(ac); the n−1 std of {ln a, ln c} is |ln a − ln c|/√2.
      const center = Math.sqrt(a! * c!);
      const spread = Math.abs(Math.log(a! / c!)) / Math.SQRT2;
      // 1e-12 relative: a handful of float64 logs and exps.
      expect(b.center).toBeCloseTo(center, 12);
      expect(b.lower / (center * Math.exp(-spread))).toBeCloseTo(1, 12);
      expect(b.upper / (center * Math.exp(spread))).toBeCloseTo(1, 12);
      expect(b.seeds).toBe(2);
    }
  });

  it('leaves out diverged and non-positive losses, and draws no band for a single seed', () => {
    const records = [
      { kind: 'train', step: 10, epoch: 0, loss: 1 },
      { kind: 'train', step: 20, epoch: 0, loss: 0 },
      { kind: 'diverged', step: 30, epoch: 0, loss: 'NaN' },
      { kind: 'train', step: 30, epoch: 0, loss: null },
    ];
    const spec = lossCurvesSpec([{ run: 'a', setting: 'a', seed: 0, records }]);
    expect(datasetOf<LossPoint>(spec, 'points').map((p) => p.step)).toEqual([10]);
    expect(datasetOf<LossBand>(spec, 'bands')).toEqual([]);
    expect((spec as { layer: unknown[] }).layer).toHaveLength(1);
    expectCompilesCleanly(spec);
  });
});

describe('runs that logged once', () => {
  it('show their points, since a line of one point draws nothing', () => {
    const once = (run: string, loss: number) => ({ run, setting: 'lr=0.1', seed: Number(run.at(-1)), records: [{ kind: 'train', step: 50, epoch: 0, loss }] });
    const spec = lossCurvesSpec([once('a0', 2), once('a1', 3)] as never) as unknown as { layer: Array<{ mark: { type: string; point?: boolean } }> };
    expect(spec.layer.filter((l) => l.mark.type === 'line').every((l) => l.mark.point === true)).toBe(true);
    // Many logged steps: plain lines, as before.
    const many = lossCurvesSpec(runs) as unknown as { layer: Array<{ mark: { type: string; point?: boolean } }> };
    expect(many.layer.filter((l) => l.mark.type === 'line').every((l) => l.mark.point === false)).toBe(true);
  });
});
