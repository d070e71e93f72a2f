import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { gatherBatch, type Dataset, type Split } from './dataset';
import { ResidentSplits } from './resident-split';

const regression = (n: number, seed: number): Dataset => ({
  name: 'reg',
  inputShape: [3, 2],
  task: 'regression',
  targetDim: 2,
  train: { x: Float32Array.from({ length: n * 6 }, (_, i) => Math.sin(i * 1.3 + seed) * 1e3), y: Float32Array.from({ length: n * 2 }, (_, i) => Math.cos(i * 0.7 + seed) / 7), n },
});
const classification: Dataset = {
  name: 'cls',
  inputShape: [4],
  task: 'classification',
  numClasses: 5,
  train: { x: Float32Array.from({ length: 40 * 4 }, (_, i) => Math.tan(i) * 1e-3), y: Int32Array.from({ length: 40 }, (_, i) => (i * 3) % 5), n: 40 },
};
const member = (data: Dataset, split: Split = data.train) => ({ data, split, augments: false });
const rows = (n: number, b: number, shift: number) => Int32Array.from({ length: b }, (_, i) => (i * 7 + shift) % n);

/** The reference: what `gatherBatch` makes for each member, stacked as a replica group stacks it. */
function reference(datasets: readonly Dataset[], indices: readonly Int32Array[]) {
  return tf.tidy(() => {
    const batches = datasets.map((d, j) => gatherBatch(d, [{ split: d.train, indices: indices[j]! }], false));
    return { x: tf.stack(batches.map((b) => b.x)), y: tf.stack(batches.map((b) => b.y)) };
  });
}

/** Equal to the bit: same shapes, dtypes and values (a gather copies; nothing may be recomputed). Disposes both. */
function expectSameBatch(got: { x: tf.Tensor; y: tf.Tensor }, want: { x: tf.Tensor; y: tf.Tensor }): void {
  for (const [a, b] of [[got.x, want.x], [got.y, want.y]] as const) {
    expect(a.shape).toEqual(b.shape);
    expect(a.dtype).toBe(b.dtype);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  }
  tf.dispose([got.x, got.y, want.x, want.y]);
}

describe('ResidentSplits', () => {
  it('gathers a solo batch equal to gatherBatch to the bit, regression and classification, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    for (const data of [regression(30, 0), classification]) {
      const resident = ResidentSplits.create([member(data)], undefined, 'device')!;
      const indices = rows(data.train.n, data.train.n, 3);
      expectSameBatch(resident.gather([indices], false), gatherBatch(data, [{ split: data.train, indices: indices }], false));
      resident.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gathers a group batch [R, B, ...] equal to the stacked per-replica batches, with shared and own splits, after members leave', () => {
    const before = tf.memory().numTensors;
    const shared = regression(30, 0);
    const datasets = [shared, regression(25, 1), shared, regression(30, 2)];
    const resident = ResidentSplits.create(datasets.map((d) => member(d)), undefined, 'device')!;
    const indices = datasets.map((d, j) => rows(d.train.n, 12, j));
    expectSameBatch(resident.gather(indices), reference(datasets, indices));
    // Members 0 and 2 leave: the others keep their own rows.
    resident.keep([1, 3]);
    const left = [datasets[1]!, datasets[3]!];
    const leftIndices = [indices[1]!, indices[3]!];
    expectSameBatch(resident.gather(leftIndices), reference(left, leftIndices));
    resident.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds nothing where the loop must gather on the JS side: the backend gathers slowly, a member augments, or the splits pass the byte cap', () => {
    const before = tf.memory().numTensors;
    const data = regression(30, 0);
    expect(ResidentSplits.create([member(data), { ...member(data), augments: true }], undefined, 'device')).toBeUndefined();
    expect(ResidentSplits.create([member(data)], undefined, 'host')).toBeUndefined();
    const bytes = data.train.x.byteLength + data.train.y.byteLength;
    expect(ResidentSplits.create([member(data)], bytes - 1, 'device')).toBeUndefined();
    // A split shared by replicas counts once.
    const fits = ResidentSplits.create([member(data), member(data)], bytes, 'device');
    expect(fits).toBeDefined();
    fits!.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a split whose inputs do not match its shape', () => {
    const data = regression(30, 0);
    const bad = { ...data.train, n: 31 };
    expect(() => ResidentSplits.create([member(data, bad)], undefined, 'device')).toThrow(/split holds 180 input values, expected 31 × 6/);
  });
});
