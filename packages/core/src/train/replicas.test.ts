import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { activation } from '../layers/activation';
import { batchNorm } from '../layers/batch-norm';
import { dense } from '../layers/dense';
import { dropout } from '../layers/dropout';
import { createModel, type Model } from '../layers/model';
import { serial } from '../layers/serial';
import type { Layer } from '../layers/types';
import type { OptimizerSpec } from '../optim/optimizer';
import { registerBackend, registeredBackends } from '../backend/registry';
import { tf } from '../tf';
import type { TrainCheckpoint } from './checkpoint';
import { train } from './loop';
import { trainReplicas } from './replicas';
import { MemorySink } from './sinks';
import type { Hook, RunRecord, TrainConfig, TrainResult } from './types';

const n = 64;
const data: Dataset = {
  name: 'noise',
  inputShape: [5],
  task: 'classification',
  numClasses: 3,
  train: { x: Float32Array.from({ length: n * 5 }, (_, i) => Math.sin(i * 1.7)), y: Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), n },
};
const mlp = () => serial(dense({ units: 16 }), activation('tanh'), dense({ units: 16 }), activation('relu'), dense({ units: 3 }));
// Batch-norm and dropout have no batched form: the group loops over replicas for them.
const bnNet = () => serial(dense({ units: 8 }), batchNorm(), activation('tanh'), dropout(0.25), dense({ units: 3 }));

/** A hook that reads the model it is given: it must see its replica's own parameters. */
const weightHook: Hook = {
  name: 'weights',
  schedule: { everySteps: 50, atStart: true, atEnd: true },
  run: (ctx) => ({ norm: tf.tidy(() => tf.norm(ctx.model.parameters[0]!.variable).dataSync()[0]!), draw: ctx.rng.uniform() }),
};

interface Case {
  readonly seed: number;
  readonly lr: number;
  readonly optimizer: OptimizerSpec;
  readonly steps?: number;
}
const config = (c: Case): TrainConfig => ({
  steps: c.steps ?? 200,
  batchSize: 8,
  loss: 'softmax-cross-entropy',
  optimizer: c.optimizer,
  schedule: { kind: 'step', lr: c.lr, factor: 0.5, milestones: [120], unit: 'step' },
  seed: c.seed,
  logEvery: 10,
});

async function solo(layer: () => Layer, c: Case) {
  const model = createModel(layer(), { inputShape: [5], seed: c.seed });
  const sink = new MemorySink();
  const result = await train(model, data, config(c), { hooks: [weightHook], sinks: [sink] });
  model.dispose();
  return { records: sink.records, result };
}

async function group(layer: () => Layer, cases: readonly Case[], extra: { resume?: ReadonlyArray<TrainCheckpoint | undefined>; abortAfter?: number } = {}) {
  const models: Model[] = cases.map((c) => createModel(layer(), { inputShape: [5], seed: c.seed }));
  const sinks = cases.map(() => new MemorySink());
  const saved: Array<TrainCheckpoint | undefined> = cases.map(() => undefined);
  const controllers = cases.map(() => new AbortController());
  const results = await trainReplicas(
    cases.map((c, r) => ({
      model: models[r]!,
      data,
      config: config(c),
      callbacks: {
        hooks: [weightHook],
        sinks: [sinks[r]!],
        resume: extra.resume?.[r],
        signal: controllers[r]!.signal,
        onProgress: (p) => {
          if (extra.abortAfter !== undefined && p.step >= extra.abortAfter) controllers[r]!.abort();
        },
        checkpoint: {
          save: async (cp) => {
            saved[r] = cp;
          },
        },
      },
    })),
  );
  for (const m of models) m.dispose();
  return { records: sinks.map((s) => s.records), results, saved };
}

let worstSeen = 0;
afterAll(() => console.log(`[replicas] worst relative difference from the solo runs: ${worstSeen}`));

/** The largest relative difference between two runs' numeric record fields (timings aside). */
function relativeError(a: readonly RunRecord[], b: readonly RunRecord[]): number {
  expect(a.map((r) => `${r.kind}@${r.step}`)).toEqual(b.map((r) => `${r.kind}@${r.step}`));
  let worst = 0;
  a.forEach((ra, i) => {
    for (const [key, va] of Object.entries(ra)) {
      const vb = (b[i] as Record<string, unknown>)[key];
      if (key === 'seconds') continue;
      if (typeof va === 'number' && typeof vb === 'number') worst = Math.max(worst, Math.abs(va - vb) / Math.max(Math.abs(vb), 1e-30));
      else expect(va).toEqual(vb);
    }
  });
  worstSeen = Math.max(worstSeen, worst);
  return worst;
}
const outcome = (r: TrainResult) => ({ outcome: r.outcome, steps: r.steps, divergedAtStep: r.divergedAtStep });

// The bound: 1e-5 relative over 200 steps. On the cpu backend a replica's arithmetic is its
// solo run's op for op (batched matMul computes each batch's product as the plain one does), so
// the error found is 0; the bound leaves room for backends whose batched kernels sum differently.
const TOLERANCE = 1e-5;

describe('trainReplicas equals each replica’s solo run', () => {
  const optimizers: Array<[string, Case[]]> = [
    ['sgd', [{ seed: 1, lr: 0.1, optimizer: { name: 'sgd' } }, { seed: 2, lr: 0.03, optimizer: { name: 'sgd', weightDecay: 1e-3 } }, { seed: 3, lr: 0.3, optimizer: { name: 'sgd' } }]],
    ['momentum', [{ seed: 4, lr: 0.05, optimizer: { name: 'sgd', momentum: 0.9 } }, { seed: 5, lr: 0.02, optimizer: { name: 'sgd', momentum: 0.5 } }, { seed: 6, lr: 0.1, optimizer: { name: 'sgd' } }]],
    ['adam', [{ seed: 7, lr: 0.01, optimizer: { name: 'adam' } }, { seed: 8, lr: 0.003, optimizer: { name: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-6 } }]],
    ['adagrad', [{ seed: 9, lr: 0.05, optimizer: { name: 'adagrad' } }, { seed: 10, lr: 0.1, optimizer: { name: 'adagrad', initialAccumulatorValue: 0.3 } }]],
    ['adadelta', [{ seed: 11, lr: 1, optimizer: { name: 'adadelta' } }, { seed: 12, lr: 0.5, optimizer: { name: 'adadelta', rho: 0.9 } }]],
  ];
  it.each(optimizers)('MLP with %s: records and results match over 200 steps, no tensor left behind', async (_name, cases) => {
    const solos: Array<Awaited<ReturnType<typeof solo>>> = [];
    for (const c of cases) solos.push(await solo(mlp, c));
    const before = tf.memory().numTensors;
    const g = await group(mlp, cases);
    expect(tf.memory().numTensors).toBe(before);
    const error = Math.max(...cases.map((_, r) => relativeError(g.records[r]!, solos[r]!.records)));
    expect(error).toBeLessThanOrEqual(TOLERANCE);
    expect(g.results.map(outcome)).toEqual(solos.map((s) => outcome(s.result)));
  });

  it('batch-norm and dropout (looped per replica) match too, state per replica', async () => {
    const cases: Case[] = [{ seed: 21, lr: 0.1, optimizer: { name: 'sgd', momentum: 0.9 } }, { seed: 22, lr: 0.05, optimizer: { name: 'sgd', momentum: 0.9 } }];
    const solos: Array<Awaited<ReturnType<typeof solo>>> = [];
    for (const c of cases) solos.push(await solo(bnNet, c));
    const g = await group(bnNet, cases);
    expect(Math.max(...cases.map((_, r) => relativeError(g.records[r]!, solos[r]!.records)))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a replica that diverges at its step leaves the group; the others finish as alone', async () => {
    const cases: Case[] = [{ seed: 31, lr: 0.1, optimizer: { name: 'sgd' } }, { seed: 32, lr: 400, optimizer: { name: 'sgd', momentum: 0.9 } }, { seed: 33, lr: 0.05, optimizer: { name: 'sgd', momentum: 0.9 } }];
    const solos: Array<Awaited<ReturnType<typeof solo>>> = [];
    for (const c of cases) solos.push(await solo(mlp, c));
    expect(solos[1]!.result.outcome).toBe('diverged');
    expect(solos[1]!.result.divergedAtStep).toBeGreaterThan(0);
    const g = await group(mlp, cases);
    expect(g.results.map(outcome)).toEqual(solos.map((s) => outcome(s.result)));
    expect(Math.max(...cases.map((_, r) => relativeError(g.records[r]!, solos[r]!.records)))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('a stopped group resumes every replica exactly, from its own checkpoint', async () => {
    const cases: Case[] = [{ seed: 41, lr: 0.01, optimizer: { name: 'adam' } }, { seed: 42, lr: 0.02, optimizer: { name: 'adam', beta1: 0.5 } }, { seed: 43, lr: 0.005, optimizer: { name: 'adam' } }].map((c) => ({ ...c, steps: 60 })) as Case[];
    const whole = await group(bnNet, cases);
    const first = await group(bnNet, cases, { abortAfter: 25 });
    expect(first.results.map((r) => r.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    const rest = await group(bnNet, cases, { resume: first.saved });
    cases.forEach((_, r) => {
      const cut = first.saved[r]!.records;
      const joined = [...first.records[r]!.slice(0, cut), ...rest.records[r]!];
      const strip = (rs: readonly RunRecord[]) => rs.map(({ seconds: _s, ...x }) => x);
      // Byte-identical records, timings aside.
      expect(JSON.stringify(strip(joined))).toBe(JSON.stringify(strip(whole.records[r]!)));
    });
    expect(rest.results.map(outcome)).toEqual(whole.results.map(outcome));
  });

  it('a replica checkpoint resumes as a solo run', async () => {
    const c: Case = { seed: 51, lr: 0.01, optimizer: { name: 'adam' }, steps: 40 };
    const stopped = await group(mlp, [c, { ...c, seed: 52 }], { abortAfter: 20 });
    const model = createModel(mlp(), { inputShape: [5], seed: c.seed });
    const sink = new MemorySink();
    await train(model, data, config(c), { hooks: [weightHook], sinks: [sink], resume: stopped.saved[0] });
    model.dispose();
    const whole = await solo(mlp, c);
    const cut = stopped.saved[0]!.records;
    expect(relativeError([...stopped.records[0]!.slice(0, cut), ...sink.records], whole.records)).toBe(0);
  });
});

describe('a group with nothing to train', () => {
  it('runs 0-step replicas to their start and end hooks and completes them, as their solo runs do', async () => {
    // A 0-step sweep (a measurement at initialization, the c6/c7/c12 presets) forms groups too; with
    // no replica left to step there is no stacked model or optimizer to build.
    const cases: Case[] = [
      { seed: 1, lr: 0.1, optimizer: { name: 'sgd' }, steps: 0 },
      { seed: 2, lr: 0.05, optimizer: { name: 'sgd' }, steps: 0 },
    ];
    const before = tf.memory().numTensors;
    const g = await group(mlp, cases);
    expect(tf.memory().numTensors).toBe(before);
    for (const [r, c] of cases.entries()) {
      const s = await solo(mlp, c);
      expect(outcome(g.results[r]!)).toEqual(outcome(s.result));
      expect(g.results[r]!.outcome).toBe('completed');
      expect(relativeError(g.records[r]!, s.records)).toBe(0);
    }
  });
});

describe('a group on a backend where batching loses (replicaSteps: sequential)', () => {
  it('trains its members as their solo runs in turn: records and results equal to the bit, diverging member included, no tensor left', async () => {
    const cases: Case[] = [
      { seed: 31, lr: 0.1, optimizer: { name: 'sgd', momentum: 0.9 } },
      { seed: 32, lr: 40, optimizer: { name: 'sgd' } },
      { seed: 33, lr: 0.01, optimizer: { name: 'adam' } },
    ];
    const solos: Array<Awaited<ReturnType<typeof solo>>> = [];
    for (const c of cases) solos.push(await solo(mlp, c));
    const active = registeredBackends().find((p) => p.tfName === tf.getBackend())!;
    registerBackend({ ...active, traits: { ...active.traits, replicaSteps: 'sequential' } });
    try {
      const before = tf.memory().numTensors;
      const g = await group(mlp, cases);
      expect(tf.memory().numTensors).toBe(before);
      for (const [r] of cases.entries()) expect(relativeError(g.records[r]!, solos[r]!.records)).toBe(0);
      expect(g.results.map(outcome)).toEqual(solos.map((s) => outcome(s.result)));
      expect(g.results.map((x) => x.outcome)).toContain('diverged');
      // In turn, not as one model: every record of a member comes before any of the next one's.
      const order: number[] = [];
      const models = cases.map((c) => createModel(mlp(), { inputShape: [5], seed: c.seed }));
      await trainReplicas(cases.map((c, r) => ({ model: models[r]!, data, config: config(c), callbacks: { sinks: [{ write: async () => void order.push(r) }] } })));
      for (const m of models) m.dispose();
      expect(order).toEqual([...order].sort((a, b) => a - b));
    } finally {
      registerBackend(active);
    }
  });
});
