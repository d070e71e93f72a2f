import { buildModel } from '@overparam/architectures';
import { tf } from '@overparam/core';
import { maxRelativeError, referenceConv2d, referenceMaxPool2d } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * The tutorial convnet's forward pass against the tutorial's definition in float64 (conv 'same' →
 * ReLU → 2×2 pool → conv → ReLU → pool → dense → ReLU → dense, dropout off in evaluation), at a
 * small size with flat square inputs (the reshape MNIST vectors go through).
 */
describe(`mnist-convnet forward pass vs a float64 reference (${testBackend})`, () => {
  it('8×8 images given flat, 2 and 3 filters, 4 hidden units, 3 classes', () => {
    const options = { inputShape: [64], classes: 3, conv1Filters: 2, conv2Filters: 3, hidden: 4, initStd: 0.5 };
    const model = buildModel('mnist-convnet', options, 5);
    const n = 3;
    const x = tf.randomNormal([n, 64], 0, 1, 'float32', 9);
    const y = model.apply(x);
    const w = model.readWeights().map((p) => Float64Array.from(p.values));
    const relu = (a: Float64Array) => a.map((v) => Math.max(0, v));
    let h: Float64Array = Float64Array.from(x.dataSync());
    h = relu(referenceConv2d({ inputShape: [n, 8, 8, 1], kernelSize: 5, filters: 2, stride: 1, padding: 'same' }, h, w[0]!, w[1]!));
    h = referenceMaxPool2d({ inputShape: [n, 8, 8, 2], size: 2, stride: 2, padding: 'same' }, h).y;
    h = relu(referenceConv2d({ inputShape: [n, 4, 4, 2], kernelSize: 5, filters: 3, stride: 1, padding: 'same' }, h, w[2]!, w[3]!));
    h = referenceMaxPool2d({ inputShape: [n, 4, 4, 3], size: 2, stride: 2, padding: 'same' }, h).y;
    const dense = (input: Float64Array, inDim: number, outDim: number, wt: Float64Array, b: Float64Array) =>
      Float64Array.from({ length: n * outDim }, (_, k) => {
        const [e, o] = [Math.floor(k / outDim), k % outDim];
        let s = b[o]!;
        for (let i = 0; i < inDim; i++) s += input[e * inDim + i]! * wt[i * outDim + o]!;
        return s;
      });
    h = relu(dense(h, 12, 4, w[4]!, w[5]!));
    const expected = dense(h, 4, 3, w[6]!, w[7]!);
    // float32 sums of ≤ 50 products per conv output, O(1) values: ~1e-6 relative; 1e-4 leaves room
    // for the backends' different summation orders, while a wrong padding or pool is O(1).
    expect(maxRelativeError(y.dataSync(), expected)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
    model.dispose();
  });
});
