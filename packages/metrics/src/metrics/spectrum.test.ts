import { activation, createModel, createRng, dense, resolveLoss, serial, tf, type Dataset, type HookContext } from '@overparam/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { metricHooks } from '../hooks';
import { parseMetricSpecs } from '../metric-spec';

const n = 6;
const inputDim = 4;
const outputs = 2;

function dataset(): Dataset {
  const x = new Float32Array(n * inputDim);
  createRng('layer-spectrum-test').fillNormal(x);
  return { name: 'test', inputShape: [inputDim], task: 'classification', numClasses: outputs, train: { x, y: Int32Array.from({ length: n }, (_, i) => i % 2), n } };
}

/**
 * The NTK block of one layer, independently of the Gram engine: for every example i and output c
 * the gradient of f_c(x_i) with respect to that layer's variables only (tf.variableGrads), then
 * Σ_c ⟨∇f_ic, ∇f_jc⟩ in float64; its eigenvalues by ml-matrix.
 */
function layerEigenvalues(model: ReturnType<typeof createModel>, data: Dataset, paths: readonly string[]): number[] {
  const vars = model.parameters.filter((p) => paths.includes(p.path)).map((p) => p.variable);
  const grads: Float64Array[][] = [];
  for (let i = 0; i < n; i++) {
    const perOutput: Float64Array[] = [];
    for (let c = 0; c < outputs; c++) {
      const flat = tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => {
          const out = model.apply(tf.tensor2d(data.train.x.subarray(i * inputDim, (i + 1) * inputDim), [1, inputDim]), { training: false });
          return tf.sum(tf.slice(out, [0, c], [1, 1])) as tf.Scalar;
        }, vars);
        return tf.concat(vars.map((v) => tf.reshape(g[v.name]!, [-1])));
      });
      perOutput.push(Float64Array.from(flat.dataSync()));
      flat.dispose();
    }
    grads.push(perOutput);
  }
  const gram = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < outputs; c++) for (let k = 0; k < grads[i]![c]!.length; k++) s += grads[i]![c]![k]! * grads[j]![c]![k]!;
      gram.set(i, j, s);
    }
  }
  return [...new EigenvalueDecomposition(gram, { assumeSymmetric: true }).realEigenvalues].sort((a, b) => a - b);
}

describe('spectrum per layer', () => {
  it("names the layers W(1)…W(H) in order of depth, each with its own block's λ_min and λ_max", async () => {
    const data = dataset();
    const model = createModel(serial(dense({ units: 8 }), activation('tanh'), dense({ units: 8 }), activation('tanh'), dense({ units: outputs })), { inputShape: [inputDim], seed: 2 });
    const [hook] = metricHooks(parseMetricSpecs([{ name: 'spectrum', n, layers: true }]), data);
    const ctx: HookContext = { model, data, loss: resolveLoss('softmax-cross-entropy'), step: 0, epoch: 0, learningRate: 0.1, rng: createRng('ctx') };
    const before = tf.memory().numTensors;
    const record = (await hook!.run(ctx)) as { lambdaMin: number; trace: number; layers: Record<string, { path: string; trace: number; traceShare: number; lambdaMin: number; lambdaMax: number }> };
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(record.layers)).toEqual(['W(1)', 'W(2)', 'W(3)']);
    expect(Object.values(record.layers).map((l) => l.path)).toEqual(['0', '2', '4']);
    let shares = 0;
    for (const layer of Object.values(record.layers)) {
      // Weights and bias of one layer together (all n rows are used, so the order of the draw does not matter).
      const paths = model.parameters.filter((p) => p.path.startsWith(`${layer.path}.`) || p.path === layer.path).map((p) => p.path);
      expect(paths.length).toBe(2);
      const ev = layerEigenvalues(model, data, paths);
      const top = ev[ev.length - 1]!;
      expect(Math.abs(layer.lambdaMax - top)).toBeLessThan(1e-6 * top);
      expect(Math.abs(layer.lambdaMin - ev[0]!)).toBeLessThan(1e-6 * Math.abs(ev[0]!));
      expect(Math.abs(layer.trace - ev.reduce((a, b) => a + b, 0))).toBeLessThan(1e-6 * layer.trace);
      shares += layer.traceShare;
    }
    expect(shares).toBeCloseTo(1, 12);
    model.dispose();
  });
});
