import { describe, expect, it } from 'vitest';
import type { BatchTransform, Dataset } from '../data/dataset';
import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { dense } from '../layers/dense';
import { dropout } from '../layers/dropout';
import { createModel } from '../layers/model';
import { serial } from '../layers/serial';
import type { OptimizerSpec } from '../optim/optimizer';
import { tf } from '../tf';
import type { TrainCheckpoint } from './checkpoint';
import { train } from './loop';
import { MemorySink } from './sinks';
import type { Hook, RunRecord, TrainConfig } from './types';

const n = 40;
const data: Dataset = {
  name: 'noise',
  inputShape: [4],
  task: 'classification',
  numClasses: 3,
  train: { x: Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 1.7)), y: Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), n },
};

// Every source of state the loop carries: batch-norm statistics, dropout masks, momentum or
// Adam moments, an augmentation stream, a partly filled logging window, a stateful hook.
const model = () => createModel(serial(dense({ units: 8 }), batchNorm(), activation('tanh'), dropout(0.25), dense({ units: 3 })), { inputShape: [4], seed: 5 });
const jitter: BatchTransform = (x, _shape, rng) => {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! + 0.01 * rng.normal();
};
const base = (optimizer: OptimizerSpec, sampling: 'shuffled-epochs' | 'with-replacement'): TrainConfig => ({
  steps: 23,
  batchSize: 6,
  sampling,
  loss: 'softmax-cross-entropy',
  optimizer,
  schedule: { kind: 'step', lr: 0.1, factor: 0.5, milestones: [12], unit: 'step' },
  seed: 9,
  logEvery: 4,
  augment: jitter,
});
/** A hook with memory: the sum of its calls' inputs, which a resumed run must carry on. */
function countingHook(): Hook {
  const calls = new WeakMap<object, number>();
  return {
    name: 'count',
    schedule: { everySteps: 5, atStart: true, atEnd: true },
    run: (ctx) => {
      const c = (calls.get(ctx.model) ?? 0) + ctx.step;
      calls.set(ctx.model, c);
      return { total: c, draw: ctx.rng.uniform() };
    },
    saveState: async (m) => [{ name: 'total', shape: [1], dtype: 'float32', values: Float32Array.of(calls.get(m) ?? 0) }],
    loadState: (m, state) => calls.set(m, state[0]!.values[0]!),
  };
}
const timeless = (records: readonly RunRecord[]) => records.map(({ seconds: _s, ...r }) => r);

describe.each([
  ['sgd with momentum, shuffled epochs', { name: 'sgd', momentum: 0.9, weightDecay: 1e-3 } as OptimizerSpec, 'shuffled-epochs' as const],
  ['adam, with replacement', { name: 'adam' } as OptimizerSpec, 'with-replacement' as const],
])('resuming from a checkpoint (%s)', (_label, optimizer, sampling) => {
  it('gives the records and weights of a run that was never interrupted, without leaking tensors', async () => {
    const config = base(optimizer, sampling);
    const before = tf.memory().numTensors;

    const whole = model();
    const wholeSink = new MemorySink();
    const wholeResult = await train(whole, data, config, { sinks: [wholeSink], hooks: [countingHook()] });
    const wholeWeights = whole.readWeights();
    whole.dispose();

    // The same run, checkpointed every 5 steps and stopped after step 14 (mid logging window).
    const saved: TrainCheckpoint[] = [];
    const controller = new AbortController();
    const first = model();
    const firstSink = new MemorySink();
    const stopped = await train(first, data, config, {
      sinks: [firstSink],
      hooks: [countingHook()],
      signal: controller.signal,
      checkpoint: { everySteps: 5, save: async (c) => void saved.push(c) },
      onProgress: (p) => p.step >= 12 && controller.abort(),
    });
    first.dispose();
    expect(stopped.outcome).toBe('aborted');
    expect(saved.map((c) => c.step)).toEqual([5, 10, 12]);

    for (const checkpoint of saved) {
      const resumed = model();
      const sink = new MemorySink();
      // What a store does: keep the records the checkpoint had seen, drop any after it.
      sink.records.push(...firstSink.records.slice(0, checkpoint.records));
      const result = await train(resumed, data, config, { sinks: [sink], hooks: [countingHook()], resume: checkpoint });
      expect(timeless(sink.records)).toEqual(timeless(wholeSink.records));
      expect(result).toMatchObject({ outcome: 'completed', steps: wholeResult.steps, lastBatchLoss: wholeResult.lastBatchLoss });
      expect(resumed.readWeights()).toEqual(wholeWeights);
      resumed.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('divergence', () => {
  const regression: Dataset = {
    name: 'line',
    inputShape: [1],
    task: 'regression',
    targetDim: 1,
    train: { x: Float32Array.from({ length: 16 }, (_, i) => i), y: Float32Array.from({ length: 16 }, (_, i) => 2 * i), n: 16 },
  };
  const config: TrainConfig = { steps: 200, batchSize: 4, loss: 'square', schedule: { kind: 'constant', lr: 0.05 }, seed: 0 };
  const linear = () => createModel(dense({ units: 1 }), { inputShape: [1], seed: 1 });

  it('ends a run whose finite loss leaves the bound, with the loss as a number and the reason', async () => {
    const sink = new MemorySink();
    const m = linear();
    const result = await train(m, regression, config, { sinks: [sink] });
    m.dispose();
    expect(result.outcome).toBe('diverged');
    const record = sink.ofKind('diverged')[0]!;
    expect(typeof record.loss).toBe('number');
    const initial = Number(/exceeds 1000 × the initial loss (\S+)$/.exec(String(record.reason))?.[1]);
    expect(initial).toBeGreaterThan(0);
    // The reason rounds the initial loss to 4 digits; the bound holds with that much slack.
    expect(record.loss as number).toBeGreaterThan(1e3 * initial * (1 - 1e-3));
    expect(result.divergence).toMatchObject({ step: record.step, loss: record.loss });
  });

  it('with the bound off, runs on until the loss is not finite, and records null, never a string', async () => {
    const sink = new MemorySink();
    const m = linear();
    const result = await train(m, regression, { ...config, divergenceFactor: null }, { sinks: [sink] });
    m.dispose();
    expect(result.outcome).toBe('diverged');
    const record = sink.ofKind('diverged')[0]!;
    expect(record.loss).toBeNull();
    expect(String(record.reason)).toMatch(/non-finite loss \((NaN|Infinity)\)/);
    expect(sink.ofKind('diverged')).toHaveLength(1);
    // Without the bound it got further than the bounded run of the test above.
    expect(result.divergence!.step).toBeGreaterThan(0);
  });

  it('rejects a factor that is not above 1', async () => {
    const m = linear();
    await expect(train(m, regression, { ...config, divergenceFactor: 0.5 })).rejects.toThrow(/divergenceFactor/);
    m.dispose();
  });
});
