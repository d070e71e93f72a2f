import { conv2d, createRng, tf, type Tensor } from '@overparam/core';
import { finiteDifferenceGradient, maxRelativeError, referenceConv2d, referenceConvOutputShape, tolerancesFor, type ReferenceConvSpec } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * conv2d on the backend under test (on cpu and wasm its gradients take the route of
 * core/layers/conv-op.ts) against a float64 NHWC convolution written out in plain JS: the forward
 * values, and the gradients of L = Σ r ⊙ conv(x; w, b) with respect to x, w and b against
 * central differences of the float64 reference over every coordinate.
 */
const cases: ReadonlyArray<ReferenceConvSpec & { bias: boolean }> = [
  { inputShape: [2, 5, 5, 2], kernelSize: 3, filters: 3, stride: 1, padding: 'same', bias: true },
  { inputShape: [2, 6, 6, 2], kernelSize: 3, filters: 3, stride: 2, padding: 'same', bias: false },
  { inputShape: [2, 5, 4, 2], kernelSize: 3, filters: 2, stride: 2, padding: 'same', bias: true },
  { inputShape: [2, 6, 6, 3], kernelSize: 1, filters: 4, stride: 2, padding: 'same', bias: false },
  { inputShape: [2, 6, 5, 2], kernelSize: 3, filters: 2, stride: 1, padding: 'valid', bias: true },
  { inputShape: [2, 7, 7, 2], kernelSize: 3, filters: 2, stride: 2, padding: 'valid', bias: false },
];

function normals(seed: string, size: number): Float32Array {
  const out = new Float32Array(size);
  createRng(seed).fillNormal(out);
  return out;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe(`conv2d vs a float64 reference (${testBackend})`, () => {
  const tol = tolerancesFor(testBackend).gradientRelative;
  for (const spec of cases) {
    const [n, h, w, c] = spec.inputShape;
    const label = `${spec.kernelSize}×${spec.kernelSize}, stride ${spec.stride}, ${spec.padding}, ${h}×${w}×${c} → ${spec.filters}${spec.bias ? ', bias' : ''}`;
    it(label, async () => {
      const before = tf.memory().numTensors;
      const layer = conv2d({ filters: spec.filters, kernelSize: spec.kernelSize, stride: spec.stride, padding: spec.padding, bias: spec.bias, biasInit: { name: 'normal', std: 0.5 } });
      const init = layer.init(createRng('conv'), [h, w, c]);
      const outShape = referenceConvOutputShape(spec);
      expect(init.outputShape).toEqual(outShape.slice(1));

      const xs = normals('x', n * h * w * c);
      const rs = normals('r', size(outShape));
      const wv = init.params.w as Tensor;
      const bv = init.params.b as Tensor | undefined;
      const wValues = Float64Array.from(await wv.data());
      const bValues = bv === undefined ? undefined : Float64Array.from(await bv.data());
      const x = tf.tensor4d(xs, spec.inputShape as [number, number, number, number]);
      const r = tf.tensor(rs, outShape);
      const ctx = { training: true, path: '', state: {} };
      const lossOf = (xx: Tensor, ww: Tensor, bb?: Tensor) => tf.sum(tf.mul(layer.apply(bb === undefined ? { w: ww } : { w: ww, b: bb }, xx, ctx), r));

      // Forward: float32 sums of at most k·k·c products of N(0,1)-sized terms, ~1e-6 relative.
      const yTensor = tf.tidy(() => layer.apply(init.params, x, ctx));
      const y = await yTensor.data();
      yTensor.dispose();
      const yRef = referenceConv2d(spec, xs, wValues, bValues);
      expect(maxRelativeError(y, yRef)).toBeLessThan(1e-5);

      const inputs = bv === undefined ? [x, wv] : [x, wv, bv];
      const grads = tf.grads((...t: Tensor[]) => lossOf(t[0]!, t[1]!, t[2]))(inputs);
      const autodiff = await Promise.all(grads.map(async (g) => Float64Array.from(await g.data())));

      // L is linear in each of x, w, b, so the differences are exact up to float64 rounding.
      const dot = (out: Float64Array) => out.reduce((s, v, i) => s + v * rs[i]!, 0);
      const refX = finiteDifferenceGradient((t) => dot(referenceConv2d(spec, t, wValues, bValues)), Float64Array.from(xs));
      const refW = finiteDifferenceGradient((t) => dot(referenceConv2d(spec, xs, t, bValues)), wValues);
      expect(maxRelativeError(autodiff[0]!, refX)).toBeLessThan(tol);
      expect(maxRelativeError(autodiff[1]!, refW)).toBeLessThan(tol);
      if (bValues !== undefined) {
        const refB = finiteDifferenceGradient((t) => dot(referenceConv2d(spec, xs, wValues, t)), bValues);
        expect(maxRelativeError(autodiff[2]!, refB)).toBeLessThan(tol);
      }
      tf.dispose([x, r, ...grads, wv, ...(bv === undefined ? [] : [bv])]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
