import { describe, expect, it } from 'vitest';
import { gatherBatch, type BatchTransform, type Dataset } from '../data/dataset';
import { dense } from '../layers/dense';
import { createModel } from '../layers/model';
import { tf } from '../tf';
import { train } from './loop';
import type { TrainConfig } from './types';

const n = 64;
const data: Dataset = {
  name: 'ramp',
  inputShape: [2, 2, 1],
  task: 'classification',
  numClasses: 2,
  train: { x: Float32Array.from({ length: n * 4 }, (_, i) => i), y: Int32Array.from({ length: n }, (_, i) => i % 2), n },
};
const config: TrainConfig = { steps: 6, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed: 3 };

/** The training runs below see the same examples as flat vectors, which a dense layer takes. */
function flatModel() {
  return createModel(dense({ units: 2 }), { inputShape: [4], seed: 0 });
}

describe('augmentation hook (TrainConfig.augment)', () => {
  it('gatherBatch applies the transform to the copy only, with the batch shape', () => {
    const seen: number[][] = [];
    const batch = gatherBatch(
      data,
      [
        {
          split: data.train,
          indices: [1, 2],
          transform: (x, shape) => {
            seen.push([...shape]);
            x.fill(-1);
          },
        },
      ],
      false,
    );
    expect(seen).toEqual([[2, 2, 2, 1]]);
    expect(Array.from(batch.x.dataSync())).toEqual(new Array(8).fill(-1));
    expect(data.train.x[4]).toBe(4);
    tf.dispose([batch.x, batch.y]);
  });

  it('is called once per step with the run seed fixing its randomness, leaving the batch order alone', async () => {
    const run = async (augment?: BatchTransform) => {
      const calls: { first: number; draw: number }[] = [];
      const model = flatModel();
      const flatData: Dataset = { ...data, inputShape: [4] };
      const wrapped: BatchTransform | undefined =
        augment === undefined
          ? undefined
          : (x, shape, rng) => {
              const draw = rng.uniform();
              calls.push({ first: x[0]!, draw });
              augment(x, shape, rng);
            };
      await train(model, flatData, { ...config, augment: wrapped }, { hooks: [], sinks: [] });
      model.dispose();
      return calls;
    };
    const noop: BatchTransform = () => {};
    const a = await run(noop);
    const b = await run(noop);
    expect(a).toHaveLength(config.steps);
    expect(b).toEqual(a);
    // The first input of each batch is the same example with and without the hook's draws.
    const seed4 = await (async () => {
      const calls: number[] = [];
      const model = flatModel();
      await train(model, { ...data, inputShape: [4] }, { ...config, augment: (x) => void calls.push(x[0]!) });
      model.dispose();
      return calls;
    })();
    expect(seed4).toEqual(a.map((c) => c.first));
    const draws = new Set(a.map((c) => c.draw));
    expect(draws.size).toBe(config.steps);
  });
});
