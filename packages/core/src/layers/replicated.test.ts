import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/dataset';
import { train } from '../train/loop';
import { trainReplicas } from '../train/replicas';
import { MemorySink } from '../train/sinks';
import type { TrainConfig } from '../train/types';
import { tf } from '../tf';
import { activation } from './activation';
import { batchNorm } from './batch-norm';
import { dense } from './dense';
import { createModel } from './model';
import { serial } from './serial';

const n = 16;
const data: Dataset = {
  name: 'line',
  inputShape: [1],
  task: 'regression',
  targetDim: 1,
  train: { x: Float32Array.from({ length: n }, (_, i) => i / 4), y: Float32Array.from({ length: n }, (_, i) => i / 2), n },
};
// Batch-norm has no batched form, so the group runs the network once per replica on its slice.
const net = (seed: number) => createModel(serial(dense({ units: 4 }), batchNorm(), activation('tanh'), dense({ units: 1 })), { inputShape: [1], seed });
const config = (steps: number): TrainConfig => ({ steps, batchSize: 4, loss: 'square', schedule: { kind: 'constant', lr: 0.05 }, seed: 3, logEvery: 2 });

describe('a replica group looped per replica', () => {
  it('goes on when one replica is left (a group of one slices, not unstacks: tfjs cannot differentiate a one-way unstack)', async () => {
    const before = tf.memory().numTensors;
    // The first replica ends after 2 steps; the second trains on alone as a group of one.
    const models = [net(1), net(2)];
    const sinks = [new MemorySink(), new MemorySink()];
    const results = await trainReplicas([2, 8].map((steps, r) => ({ model: models[r]!, data, config: config(steps), callbacks: { sinks: [sinks[r]!] } })));
    models.forEach((m) => m.dispose());
    expect(results.map((r) => r.outcome)).toEqual(['completed', 'completed']);

    const alone = net(2);
    const sink = new MemorySink();
    await train(alone, data, config(8), { sinks: [sink] });
    alone.dispose();
    // On cpu a replica's arithmetic is its solo run's, op for op.
    const strip = (s: MemorySink) => s.records.map(({ seconds: _s, ...r }) => r);
    expect(strip(sinks[1]!)).toEqual(strip(sink));
    expect(tf.memory().numTensors).toBe(before);
  });
});
