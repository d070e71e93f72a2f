import { buildModel } from '@overparam/architectures';
import { evaluate, train } from '@overparam/core';
import { loadMnist } from '@overparam/data';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * MLP-3-100 (tanh, Glorot normal, SGD lr 0.05, batch 128) on the 10,000 shipped MNIST digits.
 *
 * Chance is 10%. Measured on this setup (seed 0): 2,000 steps reach 92% test accuracy on wasm;
 * 300 steps reach 88%. The thresholds (85% after 2,000 steps, 80% after 300) sit far above chance
 * and a few points under what we measured, leaving room for the rounding differences between
 * backends and nothing for a broken loop, loss or data pipeline (which stay near 10%). The cpu
 * backend runs ~10× slower than wasm, so it gets the short schedule to keep CI within minutes.
 */
const schedule = testBackend === 'cpu' ? { steps: 300, threshold: 0.8 } : { steps: 2000, threshold: 0.85 };

describe(`MLP-3-100 on the MNIST digits (${testBackend})`, () => {
  it(`reaches ≥ ${schedule.threshold * 100}% test accuracy after ${schedule.steps} steps`, async () => {
    const data = loadMnist();
    const model = buildModel('mlp', { depth: 3, width: 100, inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, 0);
    expect(model.paramCount).toBe(99_710);
    const result = await train(model, data, {
      steps: schedule.steps,
      batchSize: 128,
      loss: 'softmax-cross-entropy',
      schedule: { kind: 'constant', lr: 0.05 },
      seed: 0,
      logEvery: 100,
    });
    const test = await evaluate(model, data, data.test!, 'softmax-cross-entropy');
    model.dispose();
    expect(result.outcome).toBe('completed');
    expect(test.accuracy).toBeGreaterThanOrEqual(schedule.threshold);
  });
});
