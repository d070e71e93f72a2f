import { buildModel } from '@overparam/architectures';
import { currentPlatform, END_HOOKS_SKIPPED, evaluate, MemorySink, tf, train, type Hook, type TrainConfig } from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { tensorGrowth } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * The training loop's suite, run by the Node projects and, unchanged, by the browser ones
 * (test/browser/projects.ts). Only the run lengths differ: in a page WebGPU on SwiftShader waits
 * ~0.1 s for each step's loss readback, so there the long runs take tens of steps, not a thousand.
 */
const scale =
  currentPlatform() === 'browser'
    ? { steps: 20, leakSteps: 30, probeEvery: 10, logEvery: 10 }
    : { steps: 40, leakSteps: 1000, probeEvery: 100, logEvery: 50 };

const data = teacherClassification({ n: 512, testN: 128, inputDim: 20, classes: 4, seed: 1 });
const config: TrainConfig = { steps: scale.steps, batchSize: 32, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 5, logEvery: 1 };

async function lossCurve(seed: number, trainSeed: number): Promise<number[]> {
  const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 20, outputDim: 4 }, seed);
  const sink = new MemorySink();
  await train(model, data, { ...config, seed: trainSeed }, { sinks: [sink] });
  model.dispose();
  return sink.ofKind('train').map((r) => r.loss as number);
}

describe(`training loop (${testBackend})`, () => {
  it('gives identical losses for the same seeds, and different ones for another seed', async () => {
    const a = await lossCurve(0, 5);
    const b = await lossCurve(0, 5);
    const c = await lossCurve(0, 6);
    expect(a).toHaveLength(scale.steps);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    // Training does something: the last losses are below the first ones.
    expect(a.slice(-5).reduce((s, v) => s + v, 0)).toBeLessThan(a.slice(0, 5).reduce((s, v) => s + v, 0));
  });

  it(`keeps the tensor count flat over ${scale.leakSteps.toLocaleString('en-US')} steps, evaluation and hooks included`, async () => {
    const model = buildModel('mlp', { depth: 2, width: 16, inputDim: 20, outputDim: 4 }, 0);
    const probe: Hook = {
      name: 'probe',
      schedule: { everySteps: scale.probeEvery, atStart: true, atEnd: true },
      run: async (ctx) => ({ testLoss: (await evaluate(ctx.model, ctx.data, ctx.data.test!, ctx.loss)).loss }),
    };
    const sink = new MemorySink();
    // Warm up once: the first call creates tfjs's cached constants.
    await train(model, data, { ...config, steps: 5 });
    const growth = await tensorGrowth(() =>
      train(model, data, { ...config, steps: scale.leakSteps, logEvery: scale.logEvery, optimizer: { name: 'sgd', momentum: 0.9 } }, { hooks: [probe], sinks: [sink] }),
    );
    expect(growth).toBe(0);
    // At start, after every probeEvery steps (Node: 100…1000), at end: 12 in Node, 5 in a page.
    expect(sink.ofKind('probe')).toHaveLength(scale.leakSteps / scale.probeEvery + 2);
    expect(sink.ofKind('train')).toHaveLength(scale.leakSteps / scale.logEvery); // Node: 20
    model.dispose();
  });

  it('ends a run with a non-finite loss as diverged, recorded rather than thrown, and skips its end-of-run hooks saying why', async () => {
    const model = buildModel('mlp', { depth: 3, width: 16, inputDim: 20, outputDim: 4, activation: 'identity' }, 0);
    const sink = new MemorySink();
    const ran: string[] = [];
    const hooks: Hook[] = [
      { name: 'at-end', schedule: { atEnd: true }, run: () => void ran.push('at-end') },
      { name: 'at-start', schedule: { atStart: true }, run: () => void ran.push('at-start') },
    ];
    const before = tf.memory().numTensors;
    const result = await train(model, data, { ...config, steps: 200, schedule: { kind: 'constant', lr: 1e4 } }, { sinks: [sink], hooks });
    expect(ran).toEqual(['at-start']);
    expect(sink.ofKind(END_HOOKS_SKIPPED)).toEqual([expect.objectContaining({ step: result.steps, hooks: ['at-end'], reason: expect.stringContaining(`diverged at step ${result.steps}`) })]);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.outcome).toBe('diverged');
    expect(result.divergedAtStep).toBe(result.steps);
    expect(result.steps).toBeLessThan(200);
    expect(sink.ofKind('diverged')).toHaveLength(1);
    model.dispose();
  });

  it('follows a step schedule and calls epoch hooks at epoch ends', async () => {
    const model = buildModel('mlp', { depth: 1, width: 8, inputDim: 20, outputDim: 4 }, 0);
    const sink = new MemorySink();
    const epochs: number[] = [];
    const hook: Hook = { name: 'epoch', schedule: { everyEpochs: 1 }, run: (ctx) => void epochs.push(ctx.epoch) };
    // 512 examples / 32 per batch = 16 steps per epoch; 48 steps = 3 epochs.
    await train(model, data, { ...config, steps: 48, schedule: { kind: 'step', lr: 0.1, factor: 0.1, milestones: [1, 2], unit: 'epoch' } }, { sinks: [sink], hooks: [hook] });
    const lrs = sink.ofKind('train').map((r) => r.lr as number);
    expect(lrs[0]).toBeCloseTo(0.1, 10);
    expect(lrs[20]).toBeCloseTo(0.01, 10);
    expect(lrs[40]).toBeCloseTo(0.001, 10);
    expect(epochs).toEqual([1, 2, 3]);
    model.dispose();
  });
});
