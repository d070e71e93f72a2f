import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { fixtureRecords } from '../test-fixtures';
import { allLayers, weightMovementSpec, type MovementPoint } from './weight-movement';

describe('weightMovementSpec', () => {
  it('plots the total and every layer ratio, leaving out layers with W(0) = 0', () => {
    const runs = [{ run: 'r', setting: 'depth=2', seed: 1, records: fixtureRecords({ depth: 2, seed: 1 }) }];
    const spec = weightMovementSpec(runs);
    const points = datasetOf<MovementPoint>(spec, 'points');
    // fixtureRecords: total ratio 0 then 0.1/depth; layer 0 ratio 0 then 0.1/depth + 0.01·seed; layer 1 has W(0) = 0.
    expect(points.map((p) => [p.step, p.layer, p.ratio])).toEqual([
      [0, allLayers, 0],
      [0, 'layer 0', 0],
      [100, allLayers, 0.05],
      [100, 'layer 0', 0.05 + 0.01],
    ]);
    expectCompilesCleanly(spec);
  });

  it('puts each layer in its own panel when runs have different settings', () => {
    const runs = [1, 2].map((depth) => ({ run: `d${depth}`, setting: `depth=${depth}`, seed: 0, records: fixtureRecords({ depth, seed: 0 }) }));
    const spec = weightMovementSpec(runs) as unknown as { facet: { field: string; sort: string[] } };
    expect(spec.facet.field).toBe('layer');
    expect(spec.facet.sort).toEqual([allLayers, 'layer 0']);
    expect(datasetOf<MovementPoint>(spec as never, 'points')).toHaveLength(8);
    expectCompilesCleanly(spec as never);
  });

  it('names layers W(1), W(2), … by the index the metric records', () => {
    const layers = { '0': { index: 1, ratio: 0.2 }, '2': { index: 2, ratio: 0.1 } };
    const runs = [{ run: 'r', setting: 's', seed: 0, records: [{ kind: 'weight-movement', step: 5, epoch: 0, ratio: 0.15, layers }] }];
    expect(datasetOf<MovementPoint>(weightMovementSpec(runs), 'points').map((p) => p.layer)).toEqual([allLayers, 'W(1)', 'W(2)']);
  });
});
