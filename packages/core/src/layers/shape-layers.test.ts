import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors';
import { createRng } from '../rng';
import { tf } from '../tf';
import { flatten } from './flatten';
import { globalAvgPool } from './pooling';

const ctx = { training: false, path: '', state: {} };

describe('globalAvgPool', () => {
  it('averages every spatial position of each channel, example by example', () => {
    const layer = globalAvgPool();
    expect(layer.init(createRng(0), [3, 2, 4]).outputShape).toEqual([4]);
    const values = Float32Array.from({ length: 2 * 3 * 2 * 4 }, (_, i) => Math.sin(i));
    // The mean written out over NHWC indices, independently of tf.mean.
    const expected = new Float64Array(2 * 4);
    for (let i = 0; i < values.length; i++) expected[Math.floor(i / 24) * 4 + (i % 4)]! += values[i]! / 6;
    const y = tf.tidy(() => layer.apply({}, tf.tensor4d(values, [2, 3, 2, 4]), ctx).dataSync());
    expect(Math.max(...Array.from(y, (v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-6);
  });

  it('refuses inputs without spatial axes', () => {
    expect(() => globalAvgPool().init(createRng(0), [10])).toThrow(ShapeError);
  });
});

describe('flatten', () => {
  it('keeps the batch axis and row-major order', () => {
    const layer = flatten();
    expect(layer.init(createRng(0), [2, 3, 4]).outputShape).toEqual([24]);
    const x = tf.tensor4d(Float32Array.from({ length: 48 }, (_, i) => i), [2, 2, 3, 4]);
    const y = layer.apply({}, x, ctx);
    expect(y.shape).toEqual([2, 24]);
    expect(Array.from(y.dataSync())).toEqual(Array.from({ length: 48 }, (_, i) => i));
    tf.dispose([x, y]);
  });
});
