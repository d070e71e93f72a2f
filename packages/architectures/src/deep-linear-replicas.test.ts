import { createModel, MemorySink, tf, train, trainReplicas, type Dataset, type OptimizerSpec, type RunRecord, type TrainConfig } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { deepLinear, type DeepLinearOptions } from './deep-linear';
import { deepLinearInitNames } from './deep-linear-init';

// Full-batch ℓ4 regression as in Arora et al. (2018), §8, on a small stand-in: y = A·x + noise.
const n = 32;
const d = 6;
const k = 2;
const data: Dataset = {
  name: 'linear',
  inputShape: [d],
  task: 'regression',
  targetDim: k,
  train: {
    n,
    x: Float32Array.from({ length: n * d }, (_, i) => Math.sin(0.37 * i + 1)),
    y: Float32Array.from({ length: n * k }, (_, i) => Math.cos(0.53 * i)),
  },
};
const config = (seed: number, lr: number, optimizer: OptimizerSpec): TrainConfig => ({
  steps: 200,
  batchSize: n,
  loss: 'l4',
  optimizer,
  schedule: { kind: 'constant', lr },
  seed,
  logEvery: 5,
});

function relativeError(a: readonly RunRecord[], b: readonly RunRecord[]): number {
  expect(a.map((r) => `${r.kind}@${r.step}`)).toEqual(b.map((r) => `${r.kind}@${r.step}`));
  let worst = 0;
  a.forEach((ra, i) => {
    const va = ra.loss as number;
    const vb = b[i]!.loss as number;
    worst = Math.max(worst, Math.abs(va - vb) / Math.abs(vb));
  });
  return worst;
}

async function compare(options: DeepLinearOptions, runs: ReadonlyArray<{ seed: number; lr: number; optimizer: OptimizerSpec }>): Promise<number> {
  const solos: RunRecord[][] = [];
  for (const r of runs) {
    const model = createModel(deepLinear(options), { inputShape: [d], seed: r.seed });
    const sink = new MemorySink();
    await train(model, data, config(r.seed, r.lr, r.optimizer), { sinks: [sink] });
    model.dispose();
    solos.push(sink.records);
  }
  const before = tf.memory().numTensors;
  const models = runs.map((r) => createModel(deepLinear(options), { inputShape: [d], seed: r.seed }));
  const sinks = runs.map(() => new MemorySink());
  await trainReplicas(runs.map((r, i) => ({ model: models[i]!, data, config: config(r.seed, r.lr, r.optimizer), callbacks: { sinks: [sinks[i]!] } })));
  for (const m of models) m.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return Math.max(...runs.map((_, i) => relativeError(sinks[i]!.records, solos[i]!)));
}

// The issue's bound (1e-5 relative over 200 steps); on cpu the replicas repeat their solo runs' float32 arithmetic, and the error is 0.
const TOLERANCE = 1e-5;

describe('deep linear nets as replica groups', () => {
  it.each(deepLinearInitNames)('depth 3 with the %s init: every replica’s losses are its solo run’s', async (init) => {
    const options: DeepLinearOptions = { depth: 3, inputDim: d, outputDim: k, width: 5, init, initStd: 0.3 };
    const runs = [0.01, 0.003, 0.02].map((lr, i) => ({ seed: 10 + i, lr, optimizer: { name: 'sgd' } as OptimizerSpec }));
    expect(await compare(options, runs)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the end-to-end optimizer (depth 1, per-replica virtual depth) matches its solo runs', async () => {
    const options: DeepLinearOptions = { depth: 1, inputDim: d, outputDim: k, init: 'balanced', initStd: 0.3 };
    const runs = [2, 3, 8].map((virtualDepth, i) => ({ seed: 20 + i, lr: 0.005 * (i + 1), optimizer: { name: 'end-to-end', virtualDepth } as OptimizerSpec }));
    expect(await compare(options, runs)).toBeLessThanOrEqual(TOLERANCE);
  });
});
