import { describe, expect, it } from 'vitest';
import { activeBackendTraits, registerBackend, registeredBackends } from '../backend/registry';
import type { BackendTraits } from '../backend/types';
import type { Dataset } from '../data/dataset';
import { activation } from '../layers/activation';
import { dense } from '../layers/dense';
import { createModel } from '../layers/model';
import { serial } from '../layers/serial';
import { tf } from '../tf';
import type { TrainCheckpoint } from './checkpoint';
import { train } from './loop';
import { trainReplicas } from './replicas';
import { MemorySink } from './sinks';
import type { RunRecord, TrainConfig } from './types';

/**
 * Where a step's batch is gathered (the `batchGather` trait: on the backend from a resident copy,
 * or copied in JS) must change no number: a gather copies. The unit tests' cpu backend gathers in
 * JS, so this file re-registers its plugin with the trait switched, and trains the same runs both ways.
 */
function withGather<T>(gather: BackendTraits['batchGather'], body: () => Promise<T>): Promise<T> {
  const active = registeredBackends().find((p) => p.tfName === tf.getBackend());
  if (active === undefined) throw new Error(`no registered plugin for the active backend ${tf.getBackend()}`);
  registerBackend({ ...active, traits: { ...active.traits, batchGather: gather } });
  return body().finally(() => registerBackend(active));
}

const n = 48;
const regression = (seed: number): Dataset => ({
  name: 'noise',
  inputShape: [6],
  task: 'regression',
  targetDim: 1,
  train: { x: Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 1.3 + seed)), y: Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.4 + seed)), n },
});
const shared = regression(0);
const net = () => serial(dense({ units: 5 }), activation('tanh'), dense({ units: 1 }));
const config = (seed: number, steps: number, batchSize: number): TrainConfig => ({ steps, batchSize, loss: 'square', schedule: { kind: 'constant', lr: 0.05 * (1 + seed / 4) }, seed, logEvery: 5 });

interface Member {
  readonly seed: number;
  readonly steps: number;
  readonly data: Dataset;
}

/** Records (timings aside), final weights and the last checkpoint of each member, trained solo (one member) or as a group. */
async function trainAll(members: readonly Member[], batchSize: number) {
  const models = members.map((m) => createModel(net(), { inputShape: [6], seed: m.seed }));
  const sinks = members.map(() => new MemorySink());
  const saved: Array<TrainCheckpoint | undefined> = members.map(() => undefined);
  const runs = members.map((m, r) => ({
    model: models[r]!,
    data: m.data,
    config: config(m.seed, m.steps, batchSize),
    callbacks: { sinks: [sinks[r]!], checkpoint: { everySteps: 7, save: async (cp: TrainCheckpoint) => void (saved[r] = cp) } },
  }));
  if (runs.length === 1) await train(runs[0]!.model, runs[0]!.data, runs[0]!.config, runs[0]!.callbacks);
  else await trainReplicas(runs);
  const weights = models.map((m) => m.parameters.map((p) => Array.from(p.variable.dataSync())));
  for (const m of models) m.dispose();
  const strip = (records: readonly RunRecord[]) => records.map(({ seconds: _, ...rest }) => rest);
  return { records: sinks.map((s) => strip(s.records)), weights, checkpoints: saved.map((c) => c?.tensors.map((t) => [t.name, Array.from(t.values)])) };
}

async function bothWays(members: readonly Member[], batchSize: number) {
  const host = await withGather('host', () => trainAll(members, batchSize));
  const before = tf.memory().numTensors;
  const device = await withGather('device', async () => {
    expect(activeBackendTraits().batchGather).toBe('device');
    return trainAll(members, batchSize);
  });
  expect(tf.memory().numTensors).toBe(before);
  return { host, device };
}

describe('batches gathered on the backend equal batches copied in JS', () => {
  it('a solo run, full batch and minibatches: same records, weights and checkpoints to the bit, no tensor left', async () => {
    for (const batchSize of [n, 8]) {
      const { host, device } = await bothWays([{ seed: 3, steps: 30, data: shared }], batchSize);
      expect(device).toEqual(host);
    }
  });

  it('a group with a shared data set and data sets of their own, members leaving early: the same to the bit', async () => {
    const members: Member[] = [
      { seed: 1, steps: 30, data: shared },
      { seed: 2, steps: 12, data: regression(1) },
      { seed: 5, steps: 30, data: shared },
      { seed: 6, steps: 21, data: regression(2) },
    ];
    for (const batchSize of [n, 16]) {
      const { host, device } = await bothWays(members, batchSize);
      expect(device).toEqual(host);
    }
  });
});
