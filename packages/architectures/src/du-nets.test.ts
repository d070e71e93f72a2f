import { createRng, tf, train, type Dataset, type Model } from '@overparam/core';
import { afterEach, describe, expect, it } from 'vitest';
import { gaussianExpectation } from '@overparam/core';
import { cSigma } from './c-sigma';
import { buildModel } from './registry';

const models: Model[] = [];
function build(name: string, options: Record<string, unknown>, seed = 0): Model {
  const model = buildModel(name, options, seed);
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/** E[f(z)] by composite Simpson on [−12, 12] (the tails beyond carry < 1e-30 of the mass): an independent reference. */
function simpson(f: (z: number) => number): number {
  const n = 24_000;
  const h = 24 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = -12 + i * h;
    const weight = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * f(z) * Math.exp(-z * z / 2);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

const scalar: Record<string, (z: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  softplus: (z) => Math.log(1 + Math.exp(z)),
  relu: (z) => Math.max(z, 0),
};

describe('c_σ', () => {
  it('is 2 for ReLU (closed form) and matches Simpson integration for smooth σ', () => {
    expect(cSigma('relu')).toBe(2);
    for (const name of ['tanh', 'sigmoid', 'softplus']) {
      const f = scalar[name]!;
      // Both rules converge to ~1e-12 for these analytic integrands; 1e-9 leaves room for rounding.
      expect(Math.abs(cSigma(name) * simpson((z) => f(z) ** 2) - 1)).toBeLessThan(1e-9);
    }
  });

  it('the quadrature is exact for polynomials (E[z²] = 1, E[z⁸] = 105) and close for ReLU', () => {
    expect(gaussianExpectation((z) => z * z)).toBeCloseTo(1, 12);
    expect(gaussianExpectation((z) => z ** 8)).toBeCloseTo(105, 9);
    // ReLU² has a kink at 0, so Gauss–Hermite converges only algebraically: 1e-3 is what 80 points give.
    expect(Math.abs(gaussianExpectation((z) => Math.max(z, 0) ** 2) - 0.5)).toBeLessThan(1e-3);
  });
});

/** A float64 forward pass of the Du et al. nets from the model's weights, written from Du et al.'s (2019) equations. */
function reference(model: Model, x: number[], opts: { act: string; width: number; depth: number; resnet: boolean; cRes?: number }): number[] {
  const weights = model.parameters.map((p) => ({ values: Float64Array.from(p.variable.dataSync()), rows: p.shape[0]!, cols: p.shape[1]! }));
  const matvec = (w: (typeof weights)[number], v: number[]) => Array.from({ length: w.cols }, (_, j) => v.reduce((s, vi, i) => s + vi * w.values[i * w.cols + j]!, 0));
  const sigma = scalar[opts.act]!;
  const c = cSigma(opts.act);
  let h = matvec(weights[0]!, x).map((u) => Math.sqrt(c / opts.width) * sigma(u));
  for (let l = 1; l < opts.depth; l++) {
    const u = matvec(weights[l]!, h);
    h = opts.resnet ? h.map((hi, i) => hi + ((opts.cRes ?? 1) / (opts.depth * Math.sqrt(opts.width))) * sigma(u[i]!)) : u.map((ui) => Math.sqrt(c / opts.width) * sigma(ui));
  }
  return matvec(weights[opts.depth]!, h);
}

describe('Du et al. nets', () => {
  const x = [0.6, -0.8, 0, 0]; // ‖x‖ = 1, as Du et al. (2019) assumes
  for (const [name, resnet] of [['du-mlp', false], ['du-resnet', true]] as const) {
    it(`${name} computes Du et al.'s (2019) formula (float64 reference) with N(0, 1) weights`, () => {
      const opts = { depth: 3, width: 16, inputDim: 4, outputDim: 2, activation: 'tanh', ...(resnet ? { cRes: 0.5 } : {}) };
      const model = build(name, opts, 3);
      const got = tf.tidy(() => model.apply(tf.tensor2d([x])).dataSync());
      const want = reference(model, x, { act: 'tanh', width: 16, depth: 3, resnet, cRes: 0.5 });
      // Float32 forward through three 16-wide layers: ~1e-6 relative error; allow 1e-4 of the largest output.
      const scale = Math.max(...want.map(Math.abs));
      want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(1e-4 * scale));
    });
  }

  it('counts parameters (m·d + (H−1)·m² + m·k) and leaves the output layer a out of the trainable ones', () => {
    const model = build('du-mlp', { depth: 3, width: 10, inputDim: 4 });
    expect(model.paramCount).toBe(10 * 4 + 2 * 100 + 10);
    expect(model.trainableParamCount).toBe(10 * 4 + 2 * 100);
    expect(model.parameters.map((p) => p.trainable)).toEqual([true, true, true, false]);
    expect(model.name).toBe('DuMLP-3-10');
    const resnet = build('du-resnet', { depth: 3, width: 10, inputDim: 4, activation: 'relu' });
    expect(resnet.parameters.map((p) => [p.path, p.trainable])).toEqual([
      ['0.w', true],
      ['3.main.0.w', true],
      ['4.main.0.w', true],
      ['5.w', false],
    ]);
  });

  it('keeps ‖x⁽ᴴ⁾‖ ≈ ‖x‖ at initialization: c_σ normalizes each layer', () => {
    // Hidden activations are not exposed; but f_k = a_kᵀx⁽ᴴ⁾ with a_k ~ N(0, I) has E[f_k²] = ‖x⁽ᴴ⁾‖²,
    // so the mean of f_k² over 400 outputs estimates it to ~7% (√(2/400)); at width 1000 the
    // layers' own fluctuation is a few percent more. 0.3 is ~4 standard deviations.
    for (const act of ['relu', 'softplus', 'tanh']) {
      const model = build('du-mlp', { depth: 4, width: 1000, inputDim: 4, outputDim: 400, activation: act }, 1);
      const f = tf.tidy(() => model.apply(tf.tensor2d([x])).dataSync());
      const meanSquare = Array.from(f).reduce((s, v) => s + v * v, 0) / f.length;
      expect(Math.abs(meanSquare - 1)).toBeLessThan(0.3);
    }
  });

  it('training moves the W⁽ʰ⁾ and never the frozen a, without leaking tensors', async () => {
    const model = build('du-resnet', { depth: 2, width: 8, inputDim: 4 });
    const rng = createRng(5);
    const n = 16;
    const xs = new Float32Array(n * 4);
    rng.fillNormal(xs);
    const ys = new Float32Array(n);
    rng.fillNormal(ys);
    const data: Dataset = { name: 'tiny-regression', task: 'regression', inputShape: [4], targetDim: 1, train: { x: xs, y: ys, n } };
    const before = model.readWeights();
    const tensors = tf.memory().numTensors;
    await train(model, data, { steps: 5, batchSize: 8, loss: 'square', schedule: { kind: 'constant', lr: 0.05 }, seed: 0 });
    expect(tf.memory().numTensors).toBe(tensors);
    const after = model.readWeights();
    const moved = after.map((w, i) => w.values.some((v, k) => v !== before[i]!.values[k]));
    expect(moved).toEqual([true, true, false]);
  });
});
