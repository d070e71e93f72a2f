import { tf } from '@overparam/core';
import { expect, test } from 'vitest';
import { runInMemory } from './memory';

const tiny = { arch: 'mlp', archOptions: { depth: 1, width: 8 }, data: 'synthetic', steps: 20, batchSize: 16, logEvery: 5, backend: 'cpu' };

test('runInMemory: same config, same numbers, no tensor left behind', async () => {
  const before = tf.memory().numTensors;
  const a = await runInMemory(tiny);
  const b = await runInMemory(tiny);
  expect(tf.memory().numTensors).toBe(before);
  const { seconds: _s1, trainSeconds: _t1, ...first } = a.summary;
  const { seconds: _s2, trainSeconds: _t2, ...second } = b.summary;
  expect(first).toEqual(second);
  expect(a.records.filter((r) => r.kind === 'train').map((r) => r.loss)).toEqual(b.records.filter((r) => r.kind === 'train').map((r) => r.loss));
  expect(a.config.archOptions).toEqual({ depth: 1, width: 8, activation: 'tanh', init: 'glorot-normal', bias: true });
});

test('runInMemory: another seed gives other weights on the same data', async () => {
  const a = await runInMemory({ ...tiny, steps: 0 });
  const b = await runInMemory({ ...tiny, steps: 0, seed: 1 });
  expect(a.summary.finalTrainLoss).not.toBe(b.summary.finalTrainLoss);
});

test('the square loss trains on class labels through one-hot targets and still reports accuracy', async () => {
  const { summary } = await runInMemory({ ...tiny, loss: 'square', steps: 10 });
  expect(summary.outcome).toBe('completed');
  expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
  expect(summary.finalTrainLoss).toBeGreaterThan(0);
});
