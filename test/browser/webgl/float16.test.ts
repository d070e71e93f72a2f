import { buildModel } from '@overparam/architectures';
import { webglCapabilities } from '@overparam/backend-webgl';
import { activeBackendTraits, computeLoss, selectBackend, tf } from '@overparam/core';
import { finiteDifferenceGradient, maxRelativeError, referenceLoss, tolerancesFor, type ReferenceLayer } from '@overparam/testing';
import { describe, expect, it, vi } from 'vitest';

/**
 * The float16 path of the webgl plugin, on a GPU that has float32: with tfjs's
 * WEBGL_RENDER_FLOAT32_ENABLED off (what a phone GPU without float32 render targets, or
 * WEBGL_FORCE_F16_TEXTURES before first use, leads to) WebGL stores every tensor in float16 textures. Runs in the browser:webgl project only (its own frame, so the reset touches nothing else).
 */
describe('webgl on float16 textures', () => {
  it('is detected, declared as floatBits 16, warned about, and matches what it computes', async () => {
    const float32Error = await mlpGradientError();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const float32Before = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    // Drop the float32 backend instance (its factory stays registered, so loading makes a new
    // one), then ask for float16 textures: tfjs reads the flag when it makes the backend.
    tf.engine().reset();
    tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', false);
    try {
      await selectBackend('webgl');
      expect(webglCapabilities()!.floatBits).toBe(16);
      expect(activeBackendTraits().floatBits).toBe(16);
      expect(warn.mock.calls.some(([message]) => String(message).includes('computes in float16'))).toBe(true);
      // 1 + 2⁻¹² needs 12 mantissa bits; float16 has 10, so it rounds to 1 (see backend-selection).
      const sum = tf.add(tf.ones([1024]), tf.scalar(2 ** -12));
      expect((await sum.data())[0]).toBe(1);
      sum.dispose();
      // The float16 tolerance holds, and float16 is really in use: the error is far beyond float32's.
      const error = await mlpGradientError();
      console.info(`[overparam] webgl MLP gradient max relative error: float16 ${error.toExponential(2)}, float32 ${float32Error.toExponential(2)}`);
      expect(error).toBeLessThan(tolerancesFor('webgl').gradientRelative);
      expect(error).toBeGreaterThan(10 * float32Error);
    } finally {
      warn.mockRestore();
      tf.env().set('WEBGL_RENDER_FLOAT32_ENABLED', float32Before);
      tf.engine().reset();
      await selectBackend('webgl');
    }
    expect(activeBackendTraits().floatBits).toBe(32);
  });
});

/** test/mlp-gradients.test.ts in one case (tanh, softmax cross-entropy): max relative gradient error. */
async function mlpGradientError(): Promise<number> {
  const model = buildModel('mlp', { depth: 2, width: 6, inputDim: 5, outputDim: 3, activation: 'tanh', init: 'glorot-normal' }, 7);
  const n = 4;
  const xs = tf.randomNormal([n, 5], 0, 1, 'float32', 3);
  const ys = tf.tensor1d([0, 2, 1, 2], 'int32');
  const vars = model.parameters.map((p) => p.variable);
  const { value, grads } = tf.variableGrads(() => computeLoss('softmax-cross-entropy', model.apply(xs), ys) as tf.Scalar, vars);
  const autodiff = Float64Array.from((await Promise.all(vars.map(async (v) => Array.from(await grads[v.name]!.data())))).flat());
  const weights = await Promise.all(vars.map(async (v) => ({ shape: v.shape, values: Float64Array.from(await v.data()) })));
  const theta = Float64Array.from(weights.flatMap((w) => Array.from(w.values)));
  const xData = await xs.data();
  const xRows = Array.from({ length: n }, (_, i) => Float64Array.from(xData.slice(i * 5, (i + 1) * 5)));
  const layersOf = (t: Float64Array): ReferenceLayer[] => {
    const layers: ReferenceLayer[] = [];
    let offset = 0;
    for (let i = 0; i < weights.length; i += 2) {
      const [inDim, outDim] = weights[i]!.shape as [number, number];
      layers.push({ inDim, outDim, w: t.subarray(offset, offset + inDim * outDim), b: t.subarray(offset + inDim * outDim, offset + inDim * outDim + outDim) });
      offset += inDim * outDim + outDim;
    }
    return layers;
  };
  const reference = finiteDifferenceGradient((t) => referenceLoss(layersOf(t), 'tanh', 'softmax-cross-entropy', xRows, [0, 2, 1, 2]), theta);
  tf.dispose([xs, ys, value, ...Object.values(grads)]);
  model.dispose();
  return maxRelativeError(autodiff, reference);
}
