import { buildModel } from '@overparam/architectures';
import { evaluate, MemorySink, tf, train, type Hook, type TrainConfig } from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { tensorGrowth } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-browser-backend';

/**
 * test/training.test.ts in short: determinism, a flat tensor count and divergence handling, in a
 * page. Tens of steps rather than a thousand, because WebGPU on SwiftShader waits ~0.1 s for each
 * step's loss readback.
 */
const data = teacherClassification({ n: 512, testN: 128, inputDim: 20, classes: 4, seed: 1 });
const config: TrainConfig = { steps: 20, batchSize: 32, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 5, logEvery: 1 };

async function lossCurve(seed: number, trainSeed: number): Promise<number[]> {
  const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 20, outputDim: 4 }, seed);
  const sink = new MemorySink();
  await train(model, data, { ...config, seed: trainSeed }, { sinks: [sink] });
  model.dispose();
  return sink.ofKind('train').map((r) => r.loss as number);
}

describe(`training loop in the browser (${testBackend})`, () => {
  it('gives identical losses for the same seeds, and different ones for another seed', async () => {
    const a = await lossCurve(0, 5);
    const b = await lossCurve(0, 5);
    const c = await lossCurve(0, 6);
    expect(a).toHaveLength(20);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.slice(-5).reduce((s, v) => s + v, 0)).toBeLessThan(a.slice(0, 5).reduce((s, v) => s + v, 0));
  });

  it('keeps the tensor count flat over training, evaluation and hooks', async () => {
    const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 20, outputDim: 4 }, 0);
    const probe: Hook = {
      name: 'probe',
      schedule: { everySteps: 10, atStart: true, atEnd: true },
      run: async (ctx) => ({ testLoss: (await evaluate(ctx.model, ctx.data, ctx.data.test!, ctx.loss)).loss }),
    };
    const sink = new MemorySink();
    await train(model, data, { ...config, steps: 3 }); // warm-up: tfjs caches constants on first use
    const growth = await tensorGrowth(() =>
      train(model, data, { ...config, steps: 30, logEvery: 10, optimizer: { name: 'sgd', momentum: 0.9 } }, { hooks: [probe], sinks: [sink] }),
    );
    expect(growth).toBe(0);
    expect(sink.ofKind('probe')).toHaveLength(5); // at start, after 10, 20, 30, at end
    model.dispose();
  });

  it('ends a run with a non-finite loss as diverged, recorded rather than thrown', async () => {
    const model = buildModel('mlp', { depth: 3, width: 16, inputDim: 20, outputDim: 4, activation: 'identity' }, 0);
    const sink = new MemorySink();
    const before = tf.memory().numTensors;
    const result = await train(model, data, { ...config, steps: 200, schedule: { kind: 'constant', lr: 1e4 } }, { sinks: [sink] });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.outcome).toBe('diverged');
    expect(result.steps).toBeLessThan(200);
    expect(sink.ofKind('diverged')).toHaveLength(1);
    model.dispose();
  });
});
