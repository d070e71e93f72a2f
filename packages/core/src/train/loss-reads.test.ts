import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BatchTransform, Dataset } from '../data/dataset';
import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { dense } from '../layers/dense';
import { dropout } from '../layers/dropout';
import { createModel } from '../layers/model';
import { serial } from '../layers/serial';
import { tf } from '../tf';
import type { TrainCheckpoint } from './checkpoint';
import { END_HOOKS_SKIPPED } from './divergence';
import { train } from './loop';
import { trainReplicas } from './replicas';
import { MemorySink } from './sinks';
import type { Hook, RunRecord, TrainConfig, TrainResult } from './types';

/**
 * Losses stay on the backend until something needs them (`readLossEvery`). The reference is the
 * loop reading every step's loss (`readLossEvery: 1`, what the loop always did): records, results,
 * checkpoints and final weights must be identical to the bit, including a run that diverges
 * between two reads and one stopped between two reads.
 */

const n = 16;
const line: Dataset = {
  name: 'line',
  inputShape: [1],
  task: 'regression',
  targetDim: 1,
  train: { x: Float32Array.from({ length: n }, (_, i) => i / 4), y: Float32Array.from({ length: n }, (_, i) => i / 2), n },
};
const net = (seed: number) => createModel(serial(dense({ units: 6 }), batchNorm(), activation('tanh'), dropout(0.2), dense({ units: 1 })), { inputShape: [1], seed });
// Reads fall after steps that are multiples of 7 (readLossEvery), 5 (records), 6 (checkpoints) and
// 12 (the hook, every 3 epochs of 4 steps): most steps are read late, so divergence, epochs and
// learning rates must be recovered per step (see `needsRead` and `settle`).
const base: TrainConfig = {
  steps: 60,
  batchSize: 4,
  loss: 'square',
  optimizer: { name: 'sgd', momentum: 0.9 },
  // The rate changes at several steps inside read windows; 4 steps per epoch, so epochs do too.
  schedule: { kind: 'step', lr: 0.01, factor: 1.7, milestones: [3, 9, 16, 23, 29, 37, 44], unit: 'step' },
  seed: 4,
  logEvery: 5,
  divergenceFactor: 50,
};
const counter: Hook = { name: 'count', schedule: { everyEpochs: 3, atStart: true, atEnd: true }, run: (ctx) => ({ step: ctx.step, draw: ctx.rng.uniform() }) };

interface Outcome {
  readonly records: RunRecord[];
  readonly result: TrainResult;
  readonly saved: TrainCheckpoint[];
  readonly weights?: ReturnType<ReturnType<typeof net>['readWeights']>;
}
const timeless = (records: readonly RunRecord[]) => records.map(({ seconds: _s, ...r }) => r);
const same = (a: Outcome, b: Outcome) => {
  expect(JSON.stringify(timeless(a.records))).toBe(JSON.stringify(timeless(b.records)));
  expect({ ...a.result, seconds: 0 }).toEqual({ ...b.result, seconds: 0 });
  expect(a.saved.map((c) => ({ ...c, seconds: 0 }))).toEqual(b.saved.map((c) => ({ ...c, seconds: 0 })));
};

/** A run of `config`; `stopAtStep` aborts it from inside a step (the augmentation runs once per step), so not at a read. */
async function run(config: TrainConfig, options: { stopAtStep?: number; resume?: TrainCheckpoint; bare?: boolean } = {}): Promise<Outcome> {
  const model = net(1);
  const sink = new MemorySink();
  const saved: TrainCheckpoint[] = [];
  const controller = new AbortController();
  let steps = options.resume?.step ?? 0;
  const augment: BatchTransform = (x, _shape, rng) => {
    if (++steps === options.stopAtStep) controller.abort();
    for (let i = 0; i < x.length; i++) x[i] = x[i]! + 0.01 * rng.normal();
  };
  const result = await train(model, line, { ...config, augment }, {
    sinks: [sink],
    hooks: options.bare === true ? [] : [counter],
    signal: controller.signal,
    resume: options.resume,
    checkpoint: options.bare === true ? undefined : { everySteps: 6, save: async (c) => void saved.push(c) },
  });
  const weights = result.outcome === 'diverged' ? undefined : model.readWeights();
  model.dispose();
  return { records: sink.records, result, saved, weights };
}

describe('losses read when needed, not every step', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives records, results, checkpoints and weights identical to reading every step', async () => {
    const before = tf.memory().numTensors;
    const eager = await run({ ...base, readLossEvery: 1 });
    expect(eager.result.outcome).toBe('completed');
    for (const every of [7, 1000]) {
      const lazy = await run({ ...base, readLossEvery: every });
      same(lazy, eager);
      expect(lazy.weights).toEqual(eager.weights);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run diverging between two reads reports its first diverging step, its epoch and rate, and does not count it', async () => {
    const before = tf.memory().numTensors;
    // A rate that grows every step diverges for sure; nothing but `readLossEvery` and the end reads.
    const growing: TrainConfig = { ...base, steps: 100, logEvery: 100, schedule: { kind: 'exponential', lr: 0.01, decayRate: 1.08, decaySteps: 1, unit: 'step', staircase: false } };
    const eager = await run({ ...growing, readLossEvery: 1 }, { bare: true });
    expect(eager.result.outcome).toBe('diverged');
    const step = eager.result.divergedAtStep!;
    const diverged = eager.records.at(-1)!;
    expect(diverged).toMatchObject({ kind: 'diverged', step });
    for (const every of [50, 7]) {
      const lazy = await run({ ...growing, readLossEvery: every }, { bare: true });
      same(lazy, eager);
      expect(lazy.result.steps).toBe(step);
    }
    // Found late: the next read came steps later, in another epoch (4 steps each) and at another rate.
    const nextRead = 50 * Math.ceil((step + 1) / 50);
    expect(Math.floor((nextRead - 1) / 4)).not.toBe(diverged.epoch);
    // With the end-of-run hooks it has, a diverged run says it skipped them, at the same step.
    const hooked = await run({ ...growing, readLossEvery: 50 });
    expect(hooked.records.at(-2)).toMatchObject({ kind: 'diverged', step });
    expect(hooked.records.at(-1)).toMatchObject({ kind: END_HOOKS_SKIPPED, step });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run stopped between two reads checkpoints there, and resumes to the uninterrupted records', async () => {
    const whole = await run({ ...base, readLossEvery: 1 });
    const before = tf.memory().numTensors;
    const stopped = await run({ ...base, readLossEvery: 7 }, { stopAtStep: 16 });
    expect(stopped.result).toMatchObject({ outcome: 'aborted', steps: 16 });
    const last = stopped.saved.at(-1)!;
    expect(last.step).toBe(16);
    const rest = await run({ ...base, readLossEvery: 7 }, { resume: last });
    expect(tf.memory().numTensors).toBe(before);
    const joined = [...stopped.records.slice(0, last.records), ...rest.records];
    expect(JSON.stringify(timeless(joined))).toBe(JSON.stringify(timeless(whole.records)));
    expect(rest.weights).toEqual(whole.weights);
  });

  it('a replica group reads too, with the same records as its members read every step', async () => {
    const configs = [0.01, 0.3, 0.005].map((lr, r) => ({ ...base, seed: 10 + r, schedule: { ...base.schedule, lr } }) as TrainConfig);
    const group = async (readLossEvery: number) => {
      const models = configs.map((_, r) => net(r + 1));
      const sinks = configs.map(() => new MemorySink());
      const results = await trainReplicas(configs.map((config, r) => ({ model: models[r]!, data: line, config: { ...config, readLossEvery }, callbacks: { sinks: [sinks[r]!], hooks: [counter] } })));
      models.forEach((m) => m.dispose());
      return { records: sinks.map((s) => timeless(s.records)), results: results.map((r) => ({ ...r, seconds: 0 })) };
    };
    const eager = await group(1);
    expect(eager.results.map((r) => r.outcome)).toEqual(['completed', 'diverged', 'completed']);
    expect(await group(7)).toEqual(eager);
  });

  it('reads only where needed: 60 steps with records every 5 and reads every 7 take 19 reads, not 60', async () => {
    const data = vi.spyOn(tf.Tensor.prototype, 'data');
    const model = net(1);
    // No hooks or checkpoints: only the loop reads.
    await train(model, line, { ...base, readLossEvery: 7 });
    const lazy = data.mock.calls.length;
    data.mockClear();
    await train(model, line, { ...base, readLossEvery: 1 });
    const eager = data.mock.calls.length;
    model.dispose();
    expect(eager).toBe(60);
    // Reads after steps 5, 7, 10, 14, 15, 20, 21, 25, 28, 30, 35, 40, 42, 45, 49, 50, 55, 56, 60.
    expect(lazy).toBe(19);
  });
});
