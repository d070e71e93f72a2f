import { activeBackendTraits, BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, batchNorm, createRng, tf, type Tensor } from '@overparam/core';
import { finiteDifferenceGradient, maxRelativeError, referenceBatchNorm, tolerancesFor } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * batchNorm on the backend under test against a float64 normalization in plain JS: outputs in
 * both modes, the running-statistics update, and the gradients of L = Σ r ⊙ BN(x) with respect
 * to x, γ and β (training mode couples the batch, so the x gradient is the interesting one).
 */
const momentum = 0.8;
const epsilon = 1e-3;

function normals(seed: string, size: number, std = 1, mean = 0): Float32Array {
  const out = new Float32Array(size);
  createRng(seed).fillNormal(out, std, mean);
  return out;
}

const shapes: ReadonlyArray<readonly number[]> = [
  [3, 2, 2, 4], // NHWC: 12 values per channel
  [6, 5], // a dense layer's output: 6 values per feature
];

describe(`batchNorm vs a float64 reference (${testBackend})`, () => {
  const tol = tolerancesFor(testBackend).gradientRelative;
  for (const shape of shapes) {
    const channels = shape[shape.length - 1]!;
    const total = shape.reduce((a, b) => a * b, 1);
    for (const training of [true, false]) {
      it(`[${shape.join(', ')}] in ${training ? 'training' : 'evaluation'} mode`, () => {
        const before = tf.memory().numTensors;
        // Inputs off centre and off scale, so normalization has something to undo.
        const xs = normals('x', total, 2, 1.5);
        const gamma = normals('gamma', channels, 0.5, 1);
        const beta = normals('beta', channels, 0.5);
        const runMean = normals('mean', channels, 0.5);
        const runVar = Float32Array.from(normals('var', channels), (v) => 0.5 + v * v);
        const rs = normals('r', total);
        const layer = batchNorm({ momentum, epsilon });
        const x = tf.tensor(xs, shape as number[]);
        const r = tf.tensor(rs, shape as number[]);
        const g = tf.tensor1d(gamma);
        const b = tf.tensor1d(beta);
        const state = { mean: tf.tensor1d(runMean), variance: tf.tensor1d(runVar) };
        const updates = new Map<string, Tensor>();
        const ctx = { training, path: 'bn', state, stateUpdates: updates };

        const y = tf.tidy(() => layer.apply({ gamma: g, beta: b }, x, ctx).dataSync());
        const params = { gamma, beta, epsilon, momentum };
        const ref = referenceBatchNorm(xs, channels, params, { mean: runMean, variance: runVar }, training);
        // Normalized values are O(1); float32 moments of ≤ 12 values are good to ~1e-6.
        expect(maxRelativeError(y, ref.y)).toBeLessThan(1e-5);
        if (training) {
          expect([...updates.keys()].sort()).toEqual(['bn.mean', 'bn.variance']);
          expect(maxRelativeError(updates.get('bn.mean')!.dataSync(), ref.runningMean)).toBeLessThan(1e-5);
          expect(maxRelativeError(updates.get('bn.variance')!.dataSync(), ref.runningVariance)).toBeLessThan(1e-5);
        } else {
          expect(updates.size).toBe(0);
        }
        tf.dispose([...updates.values()]);

        const lossOf = (xx: Tensor, gg: Tensor, bb: Tensor) => tf.sum(tf.mul(layer.apply({ gamma: gg, beta: bb }, xx, { training, path: 'bn', state }), r));
        const grads = tf.grads(lossOf)([x, g, b]);
        const dot = (out: Float64Array) => out.reduce((s, v, i) => s + v * rs[i]!, 0);
        const run = { mean: runMean, variance: runVar };
        const f = (xv: ArrayLike<number>, gv: ArrayLike<number>, bv: ArrayLike<number>) => dot(referenceBatchNorm(xv, channels, { ...params, gamma: gv, beta: bv }, run, training).y);
        const refX = finiteDifferenceGradient((t) => f(t, gamma, beta), Float64Array.from(xs));
        const refG = finiteDifferenceGradient((t) => f(xs, t, beta), Float64Array.from(gamma));
        const refB = finiteDifferenceGradient((t) => f(xs, gamma, t), Float64Array.from(beta));
        expect(maxRelativeError(grads[0]!.dataSync(), refX)).toBeLessThan(tol);
        expect(maxRelativeError(grads[1]!.dataSync(), refG)).toBeLessThan(tol);
        expect(maxRelativeError(grads[2]!.dataSync(), refB)).toBeLessThan(tol);
        tf.dispose([x, r, g, b, state.mean, state.variance, ...grads]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('trains through the backend’s fused kernel exactly where its traits say so', async () => {
    // The float64 checks above then cover whichever path this backend takes.
    const layer = batchNorm();
    const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 1);
    const state = { mean: tf.zeros([2]), variance: tf.ones([2]) };
    const params = { gamma: tf.ones([2]), beta: tf.zeros([2]) };
    const profile = await tf.profile(() => {
      const [dx] = tf.grads((xx: Tensor) => tf.sum(layer.apply(params, xx, { training: true, path: 'bn', state })))([x]);
      return dx;
    });
    const names = new Set(profile.kernels.map((k) => k.name));
    const fused = activeBackendTraits().batchNormTraining === 'kernel';
    expect(names.has(BATCH_NORM_TRAINING)).toBe(fused);
    expect(names.has(BATCH_NORM_TRAINING_GRAD)).toBe(fused);
    tf.dispose([x, state.mean, state.variance, params.gamma, params.beta]);
  });
});
