import { tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { prepareRun } from './prepare';

const small = { arch: 'deep-linear', archOptions: { depth: 1 }, data: 'sphere', dataOptions: { n: 16, d: 4, testN: 2 }, backend: 'cpu' };

describe('prepareRun', () => {
  it('checks the training batch size against the data only for a run that takes steps', async () => {
    const before = tf.memory().numTensors;
    // The default batch of 128 exceeds the 16 examples, but a run of 0 steps draws no batch.
    const evaluation = await prepareRun({ ...small, steps: 0 });
    expect(evaluation.data.train.n).toBe(16);
    evaluation.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(prepareRun({ ...small, steps: 10 })).rejects.toThrow(expect.objectContaining({ field: 'batchSize', message: expect.stringContaining("128 exceeds the 16 training examples of 'sphere'; use 'full'") }));
  });

  it('pairs a regression set with the square loss when the config names no loss', async () => {
    const run = await prepareRun({ ...small, steps: 0 });
    expect(run.config.loss).toBe('square');
    expect(run.loss.targets).toBe('real');
    run.model.dispose();
  });
});
