import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { ConvPadding } from './conv-geometry';
import { maxPoolWithOwnGradient } from './max-pool-op';

/**
 * The backward pass written with strided views (the wasm route) against tf.maxPool's MaxPoolGrad
 * on the cpu backend, which test/max-pool.test.ts checks against finite differences. Random
 * normal inputs have no ties, so both send each gradient to the same element; the ReLU case has
 * ties at 0 and checks the tie rule (the first maximum in scan order wins, as TensorFlow's).
 */
describe('max pooling with its own backward pass', () => {
  const cases: Array<[[number, number, number, number], number, number, ConvPadding]> = [
    [[2, 5, 7, 3], 2, 2, 'same'],
    [[2, 6, 6, 2], 2, 2, 'valid'],
    [[1, 7, 5, 2], 3, 2, 'same'],
    [[1, 8, 8, 1], 3, 1, 'valid'],
    [[1, 28, 28, 4], 2, 2, 'same'],
  ];
  it('ties (windows of zeros after a ReLU) go to the first maximum, as MaxPoolGrad on cpu', () => {
    const x = tf.relu(tf.randomNormal([2, 6, 6, 3], -0.5, 1, 'float32', 8)) as tf.Tensor4D;
    const c = tf.randomNormal([2, 3, 3, 3], 0, 1, 'float32', 9);
    const gNative = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'same'), c)))(x);
    const gOwn = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxPoolWithOwnGradient(t, 2, 2, 'same'), c)))(x);
    expect(Array.from(gOwn.dataSync())).toEqual(Array.from(gNative.dataSync()));
    tf.dispose([x, c, gNative, gOwn]);
  });
  for (const [shape, size, stride, padding] of cases) {
    it(`${size}×${size}, stride ${stride}, ${padding}, [${shape.join(', ')}]`, () => {
      const x = tf.randomNormal(shape, 0, 1, 'float32', 5) as tf.Tensor4D;
      const native = tf.maxPool(x, size, stride, padding);
      const views = maxPoolWithOwnGradient(x, size, stride, padding);
      expect(views.shape).toEqual(native.shape);
      expect(Array.from(views.dataSync())).toEqual(Array.from(native.dataSync()));
      const c = tf.randomNormal(native.shape, 0, 1, 'float32', 6);
      const gNative = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, padding), c)))(x);
      const gViews = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxPoolWithOwnGradient(t, size, stride, padding), c)))(x);
      // Overlapping windows sum several float32 terms in different orders: allow rounding.
      Array.from(gViews.dataSync()).forEach((v, i) => expect(Math.abs(v - gNative.dataSync()[i]!)).toBeLessThan(1e-6));
      tf.dispose([x, native, views, c, gNative, gViews]);
    });
  }
});
