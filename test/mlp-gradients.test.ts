import { buildModel } from '@overparam/architectures';
import { computeLoss, tf, type ActivationName, type LossSpec } from '@overparam/core';
import { finiteDifferenceGradient, maxRelativeError, referenceLoss, tolerancesFor, type ReferenceLayer, type ReferenceLoss } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * MLP gradients from tfjs autodiff (float32, on the backend under test) against central finite
 * differences of an independent float64 MLP in plain JS, on every coordinate of a small net.
 */
const activations: ActivationName[] = ['identity', 'tanh', 'relu', 'sigmoid', 'softplus'];
const cases: Array<{ loss: LossSpec & ReferenceLoss; outputDim: number }> = [
  { loss: 'softmax-cross-entropy', outputDim: 3 },
  { loss: 'square', outputDim: 3 },
  { loss: 'logistic', outputDim: 1 },
  // Arora et al.'s (2018) ℓ4 (and ℓ6, whose larger powers stress the float32 pow chain), several outputs.
  { loss: { name: 'lp', p: 4 }, outputDim: 3 },
  { loss: { name: 'lp', p: 6 }, outputDim: 2 },
];
const realTargets = (loss: LossSpec): boolean => loss === 'square' || typeof loss === 'object';
const caseName = (loss: LossSpec): string => (typeof loss === 'object' ? `lp(p=${loss.p})` : loss);

function toReference(weights: ReadonlyArray<{ readonly shape: readonly number[] }>, theta: Float64Array): ReferenceLayer[] {
  const layers: ReferenceLayer[] = [];
  let offset = 0;
  for (let i = 0; i < weights.length; i += 2) {
    const [inDim, outDim] = weights[i]!.shape as [number, number];
    const w = theta.subarray(offset, offset + inDim * outDim);
    offset += inDim * outDim;
    const b = theta.subarray(offset, offset + outDim);
    offset += outDim;
    layers.push({ inDim, outDim, w, b });
  }
  return layers;
}

describe(`MLP gradients vs float64 finite differences (${testBackend})`, () => {
  const tol = tolerancesFor(testBackend).gradientRelative;
  for (const activation of activations) {
    for (const { loss, outputDim } of cases) {
      it(`${activation} with ${caseName(loss)}`, async () => {
        const model = buildModel('mlp', { depth: 2, width: 6, inputDim: 5, outputDim, activation, init: 'glorot-normal' }, 7);
        const n = 4;
        const xs = tf.randomNormal([n, 5], 0, 1, 'float32', 3);
        const ys =
          loss === 'softmax-cross-entropy'
            ? tf.tensor1d([0, 2, 1, 2], 'int32')
            : realTargets(loss)
              ? tf.randomNormal([n, outputDim], 0, 1, 'float32', 4)
              : tf.tensor1d([1, -1, -1, 1]);
        const vars = model.parameters.map((p) => p.variable);
        const { value, grads } = tf.variableGrads(() => computeLoss(loss, model.apply(xs), ys) as tf.Scalar, vars);
        const autodiffParts = await Promise.all(model.parameters.map(async (p) => Array.from(await grads[p.variable.name]!.data())));
        const autodiff = Float64Array.from(autodiffParts.flat());

        // Read asynchronously (not model.readWeights()): synchronous readback is unusable on webgpu in headless Chromium.
        const weights = await Promise.all(model.parameters.map(async (p) => ({ shape: p.variable.shape, values: await p.variable.data() })));
        const theta = Float64Array.from(weights.flatMap((w) => Array.from(w.values)));
        const xData = await xs.data();
        const xRows = Array.from({ length: n }, (_, i) => Float64Array.from(xData.slice(i * 5, (i + 1) * 5)));
        const yData = Array.from(await ys.data());
        const targets = realTargets(loss) ? Array.from({ length: n }, (_, i) => Float64Array.from(yData.slice(i * outputDim, (i + 1) * outputDim))) : yData;
        const f = (t: Float64Array) => referenceLoss(toReference(weights, t), activation, loss, xRows, targets);
        const reference = finiteDifferenceGradient(f, theta);

        // The forward values must agree too, or the gradient comparison would be meaningless.
        expect(Math.abs((await value.data())[0]! - f(theta))).toBeLessThan(1e-5 * Math.max(1, Math.abs(f(theta))));
        expect(maxRelativeError(autodiff, reference)).toBeLessThan(tol);
        tf.dispose([xs, ys, value, ...Object.values(grads)]);
        model.dispose();
      });
    }
  }
});

