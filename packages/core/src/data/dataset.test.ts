import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { gatherBatch, type Dataset } from './dataset';

const regression = (n: number, seed: number): Dataset => ({
  name: 'reg',
  inputShape: [2, 3],
  task: 'regression',
  targetDim: 2,
  train: { x: Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 0.9 + seed)), y: Float32Array.from({ length: n * 2 }, (_, i) => Math.cos(i + seed)), n },
});
const classification: Dataset = {
  name: 'cls',
  inputShape: [3],
  task: 'classification',
  numClasses: 4,
  train: { x: Float32Array.from({ length: 20 * 3 }, (_, i) => i / 7), y: Int32Array.from({ length: 20 }, (_, i) => i % 4), n: 20 },
};
/** An augmentation that depends on where in its batch a value is: a stacked batch must hand each part its own view. */
const ramp = (x: Float32Array) => x.forEach((v, i) => (x[i] = v + i));

describe('gatherBatch', () => {
  it('stacked, equals the solo (list of one) batches stacked, transforms included, for regression and classification', () => {
    const before = tf.memory().numTensors;
    const a = regression(15, 0);
    const b = regression(12, 1);
    const parts = [
      { split: a.train, indices: Int32Array.from([3, 1, 14, 0]), transform: ramp },
      { split: b.train, indices: Int32Array.from([11, 11, 2, 5]) },
      { split: a.train, indices: Int32Array.from([7, 6, 5, 4]), transform: ramp },
    ];
    const clsParts = [
      { split: classification.train, indices: Int32Array.from([19, 2, 3]) },
      { split: classification.train, indices: Int32Array.from([0, 0, 7]) },
    ];
    for (const [data, ps] of [[a, parts], [classification, clsParts]] as const) {
      const got = gatherBatch(data, ps, true);
      const want = tf.tidy(() => {
        const each = ps.map((p) => gatherBatch(data, [{ split: p.split, indices: p.indices, ...('transform' in p ? { transform: p.transform } : {}) }], false));
        return { x: tf.stack(each.map((e) => e.x)), y: tf.stack(each.map((e) => e.y)) };
      });
      for (const [g, w] of [[got.x, want.x], [got.y, want.y]] as const) {
        expect(g.shape).toEqual(w.shape);
        expect(g.dtype).toBe(w.dtype);
        expect(Array.from(g.dataSync())).toEqual(Array.from(w.dataSync()));
      }
      tf.dispose([got.x, got.y, want.x, want.y]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names parts of different batch sizes', () => {
    const a = regression(15, 0);
    expect(() => gatherBatch(a, [{ split: a.train, indices: [1, 2] }, { split: a.train, indices: [1] }], true)).toThrow(/one batch size, got 1 and 2/);
  });
});
