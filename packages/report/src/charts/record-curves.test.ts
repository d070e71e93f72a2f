import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { lossCurvesSpec, type LossPoint } from './loss-curves';
import { recordCurvesSpec, type RecordPoint } from './record-curves';

const records = [
  { kind: 'train', step: 10, epoch: 0, loss: 0.9 },
  { kind: 'full-loss', step: 0, epoch: 0, loss: 1.2, n: 100 },
  { kind: 'confusion', step: 0, epoch: 0, meanCos: 0.02, minCos: -0.3 },
  { kind: 'full-loss', step: 10, epoch: 0, loss: 0.8, n: 100 },
  { kind: 'confusion', step: 10, epoch: 0, meanCos: -0.01, minCos: null },
];
const runs = [{ run: 'r', setting: 'd=120', seed: 0, records }];

describe('curves of measurements over training', () => {
  it('plots the full training loss from full-loss records only, not the minibatch loss', () => {
    const spec = lossCurvesSpec(runs, { kind: 'full-loss' });
    expect(datasetOf<LossPoint>(spec, 'points').map((p) => [p.step, p.loss])).toEqual([
      [0, 1.2],
      [10, 0.8],
    ]);
    expect(JSON.stringify(spec)).toContain('whole training split');
    expectCompilesCleanly(spec);
  });

  it('plots a field of every record of a kind on a linear axis, leaving out missing values, with a rule at 0', () => {
    const spec = recordCurvesSpec(runs, { kind: 'confusion', field: 'meanCos', yTitle: 'mean cosine', rule: 0 });
    expect(datasetOf<RecordPoint>(spec, 'points').map((p) => [p.step, p.value])).toEqual([
      [0, 0.02],
      [10, -0.01],
    ]);
    const minimum = recordCurvesSpec(runs, { kind: 'confusion', field: 'minCos', yTitle: 'min cosine' });
    expect(datasetOf<RecordPoint>(minimum, 'points').map((p) => p.step)).toEqual([0]);
    expectCompilesCleanly(spec);
  });
});
