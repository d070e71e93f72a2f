import { createRng, maxPool2d, tf } from '@overparam/core';
import { finiteDifferenceGradient, maxRelativeError, referenceMaxPool2d, tensorGrowth, tolerancesFor, type ReferencePoolSpec } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * maxPool2d's forward pass against a float64 loop, and its gradient (tfjs's MaxPoolGrad on this
 * backend) against central finite differences of that loop. Inputs are continuous random draws,
 * so no window has a tie and each max is separated from the runner-up by far more than ε = 1e-4:
 * the reference is locally linear and its finite differences are exact up to float64 rounding.
 */
const cases: ReferencePoolSpec[] = [
  // The MNIST tutorial's pool (2×2, stride 2, 'same'), on an odd size so 'same' pads.
  { inputShape: [2, 5, 7, 3], size: 2, stride: 2, padding: 'same' },
  { inputShape: [2, 6, 6, 2], size: 2, stride: 2, padding: 'valid' },
  // Overlapping windows: one input can be the max of several windows, and its gradient sums them.
  { inputShape: [1, 7, 5, 2], size: 3, stride: 2, padding: 'same' },
];

describe(`maxPool2d vs a float64 reference (${testBackend})`, () => {
  for (const spec of cases) {
    it(`${spec.size}×${spec.size}, stride ${spec.stride}, ${spec.padding}, input [${spec.inputShape.join(', ')}]`, () => {
      const rng = createRng(`pool-${spec.inputShape.join('x')}-${spec.padding}`);
      const size = spec.inputShape.reduce((a, b) => a * b, 1);
      const x64 = new Float64Array(size);
      rng.fillNormal(x64);
      const xs = Float32Array.from(x64);
      const layer = maxPool2d({ size: spec.size, stride: spec.stride, padding: spec.padding });
      const init = layer.init(rng, spec.inputShape.slice(1));
      const reference = referenceMaxPool2d(spec, xs);
      expect([spec.inputShape[0], ...init.outputShape]).toEqual(reference.shape);

      const x = tf.tensor4d(xs, [...spec.inputShape]);
      const ctx = { training: true, path: '', state: {} };
      const y = layer.apply({}, x, ctx);
      expect(y.shape).toEqual(reference.shape);
      // The max of float32 values is one of them, exactly.
      expect(Array.from(y.dataSync())).toEqual(Array.from(reference.y));

      // Gradient of Σ c ⊙ maxPool(x) for random weights c, against finite differences.
      const c64 = new Float64Array(reference.y.length);
      rng.fillNormal(c64);
      const c = tf.tensor(Float32Array.from(c64), reference.shape);
      const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply({}, input, ctx), c)))(x);
      const f = (theta: Float64Array) => referenceMaxPool2d(spec, theta).y.reduce((s, v, i) => s + v * c64[i]!, 0);
      const fd = finiteDifferenceGradient(f, Float64Array.from(xs));
      expect(maxRelativeError(grad.dataSync(), fd)).toBeLessThan(tolerancesFor(testBackend).gradientRelative);
      tf.dispose([x, y, c, grad]);
    });
  }

  it('sends the gradient to windows whose maximum is negative (tfjs 4.22 wasm MaxPoolGrad does not)', () => {
    const x = tf.tensor4d([-1, -5, -3, -2, 0.5, -9, -4, -8, -7, -6, -11, -10, -13, -12, -15, -14], [1, 4, 4, 1]);
    const c = tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);
    const layer = maxPool2d({ size: 2, stride: 2, padding: 'valid' });
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply({}, t, { training: true, path: '', state: {} }), c)))(x);
    // Window maxima: 0.5 (position 4), −2 (3), −6 (9), −10 (11); worked out by hand.
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0, 20, 10, 0, 0, 0, 0, 30, 0, 40, 0, 0, 0, 0]);
    tf.dispose([x, c, g]);
  });

  it('refuses bad windows and shapes, and leaks no tensors', async () => {
    expect(() => maxPool2d({ size: 0 })).toThrow(/positive integer/);
    expect(() => maxPool2d({ size: 5, padding: 'valid' }).init(createRng(0), [4, 4, 1])).toThrow(/does not fit/);
    expect(() => maxPool2d().init(createRng(0), [16])).toThrow(/height, width, channels/);
    const x = tf.randomNormal([4, 8, 8, 3]);
    const layer = maxPool2d();
    const step = () => tf.tidy(() => void tf.grad((input: tf.Tensor) => tf.sum(layer.apply({}, input, { training: true, path: '', state: {} })))(x));
    expect(await tensorGrowth(step)).toBe(0);
    x.dispose();
  });
});
