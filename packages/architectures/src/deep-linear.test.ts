import { ConfigError, createModel, tf, type Model } from '@overparam/core';
import { Matrix } from 'ml-matrix';
import { afterEach, describe, expect, it } from 'vitest';
import { deepLinear, endToEndMatrix } from './deep-linear';
import { buildModel, parseArchitectureOptions } from './registry';

const models: Model[] = [];
function build(options: Record<string, unknown>, seed = 0): Model {
  const model = buildModel('deep-linear', options, seed);
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/** W_j (out × in, float64) from the model's stored [in, out] float32 weights. */
function layerMatrices(model: Model): Matrix[] {
  return model.parameters.map((p) => Matrix.from1DArray(p.shape[0]!, p.shape[1]!, Float64Array.from(p.variable.dataSync())).transpose());
}

const maxAbs = (m: Matrix) => Math.max(...m.abs().to1DArray());

describe('deep linear nets', () => {
  it('has N bias-free matrices with the given hidden widths, and defaults hidden widths to min(d, k)', () => {
    const model = build({ depth: 4, inputDim: 6, outputDim: 3, hiddenWidths: [7, 5, 4] });
    expect(model.parameters.map((p) => p.shape)).toEqual([
      [6, 7],
      [7, 5],
      [5, 4],
      [4, 3],
    ]);
    expect(model.name).toBe('DLN-4-7x5x4');
    const narrow = build({ depth: 3, inputDim: 6, outputDim: 1 });
    expect(narrow.parameters.map((p) => p.shape)).toEqual([
      [6, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(narrow.name).toBe('DLN-3-1');
  });

  it('rejects hidden widths that do not fit the depth, naming the field', () => {
    expect(() => parseArchitectureOptions('deep-linear', { depth: 3, inputDim: 4, outputDim: 2, hiddenWidths: [5] })).toThrow(ConfigError);
    expect(() => parseArchitectureOptions('deep-linear', { depth: 3, inputDim: 4, outputDim: 2, hiddenWidths: [5] })).toThrow(/hiddenWidths: a depth-3 net has 2 hidden layers/);
    expect(() => parseArchitectureOptions('deep-linear', { depth: 2, inputDim: 4, outputDim: 2, width: 3, hiddenWidths: [5] })).toThrow(/either width or hiddenWidths/);
  });

  it('balanced init satisfies W_{j+1}ᵀW_{j+1} = W_jW_jᵀ to float32 precision; near-zero does not', () => {
    const options = { depth: 4, inputDim: 6, outputDim: 3, hiddenWidths: [7, 5, 4], initStd: 1 };
    // Each side is a sum of ≤ 7 products of float32-rounded entries (relative rounding 6e-8):
    // the difference is then ≲ 7 · 2 · 6e-8 ≈ 1e-6 of the largest entry; allow 1e-5.
    const imbalance = (model: Model) => {
      const w = layerMatrices(model);
      let worst = 0;
      for (let j = 0; j + 1 < w.length; j++) {
        const left = w[j + 1]!.transpose().mmul(w[j + 1]!);
        const right = w[j]!.mmul(w[j]!.transpose());
        worst = Math.max(worst, maxAbs(left.clone().sub(right)) / maxAbs(right));
      }
      return worst;
    };
    expect(imbalance(build({ ...options, init: 'balanced' }))).toBeLessThan(1e-5);
    expect(imbalance(build({ ...options, init: 'near-zero' }))).toBeGreaterThan(0.1);
  });


  it('balanced init draws the same W_e at every depth and hidden width for one seed (a full-rank draw), so a single layer can start where a deep net does', () => {
    // The end-to-end rule is compared with gradient descent on a deep net from the same W_e: with
    // one output every W_e has rank 1 ≤ every width, nothing is truncated, and depth 1 is the draw itself.
    const base = { inputDim: 9, outputDim: 1, init: 'balanced', initStd: 0.01 };
    const single = endToEndMatrix(build({ ...base, depth: 1 }, 5));
    for (const [depth, width] of [
      [2, 1],
      [3, 1],
      [3, 100],
    ] as const) {
      const deep = endToEndMatrix(build({ ...base, depth, width }, 5));
      // The deep W_e is a product of N float32-rounded factors: relative error ≲ N · 6e-8 per entry.
      expect(maxAbs(deep.clone().sub(single))).toBeLessThan(1e-6 * maxAbs(single.clone()));
    }
    // A different seed is a different draw (the comparison above could not pass by accident).
    expect(maxAbs(endToEndMatrix(build({ ...base, depth: 1 }, 6)).sub(single))).toBeGreaterThan(0.1 * maxAbs(single.clone()));
  });
  it('the end-to-end matrix equals the network applied to the identity matrix (γ included)', () => {
    for (const init of ['orthogonal', 'balanced', 'near-identity', 'strategy-4.1'] as const) {
      const model = build({ depth: 3, inputDim: 5, outputDim: 4, width: 6, init, scale: 'theorem-6.1', initStd: 0.5 });
      const we = endToEndMatrix(model);
      expect([we.rows, we.columns]).toEqual([4, 5]);
      const out = tf.tidy(() => model.apply(tf.eye(5)).arraySync() as number[][]);
      // Row i of the output is (γ W_e e_i)ᵀ; float32 products of three 6-wide matrices: ~1e-6 relative.
      const diff = new Matrix(out).transpose().sub(we);
      expect(maxAbs(diff) / maxAbs(we)).toBeLessThan(1e-5);
    }
  });

  it('theorem-6.1 scale is 1/√(2N): with orthogonal square layers the map is an isometry times γ', () => {
    const model = build({ depth: 8, inputDim: 6, outputDim: 6, init: 'orthogonal', scale: 'theorem-6.1' });
    const we = endToEndMatrix(model);
    const gram = we.transpose().mmul(we);
    // W_e = γ·Q with Q orthogonal, so W_eᵀW_e = γ²I = I/16; float32 orthogonality holds to ~1e-6.
    expect(maxAbs(gram.sub(Matrix.eye(6).mul(1 / 16)))).toBeLessThan(1e-5);
  });

  it('near-identity of a square net starts with W_e ≈ I, near-zero with W_e ≈ 0', () => {
    const near = endToEndMatrix(build({ depth: 4, inputDim: 8, outputDim: 8, init: 'near-identity' }));
    // W_e = Π(I + E_j) ≈ I + ΣE_j with E_j entries N(0, 0.01²): ΣE_j has std 0.02 per entry,
    // so over 64 entries the largest deviation is ~0.06 and 0.15 is 7.5 standard deviations.
    expect(maxAbs(near.sub(Matrix.eye(8)))).toBeLessThan(0.15);
    const zero = endToEndMatrix(build({ depth: 4, inputDim: 8, outputDim: 8, init: 'near-zero' }));
    expect(maxAbs(zero)).toBeLessThan(1e-4);
  });

  it('near-identity puts ones on the diagonal of non-square matrices too', () => {
    const w = layerMatrices(build({ depth: 2, inputDim: 5, outputDim: 3, width: 4, init: 'near-identity', initStd: 1e-3 }));
    for (const m of w) {
      for (let i = 0; i < Math.min(m.rows, m.columns); i++) expect(Math.abs(m.get(i, i) - 1)).toBeLessThan(0.01);
      expect(Math.abs(m.get(0, 1))).toBeLessThan(0.01);
    }
  });

  it('strategy-4.1 draws the first layer with variance 1/d and the others with 1/(κ·n)', () => {
    const model = build({ depth: 3, inputDim: 300, outputDim: 200, width: 200, init: 'strategy-4.1', kappa: 4 });
    const variance = (v: Float32Array) => v.reduce((s, x) => s + x * x, 0) / v.length;
    const [first, second] = model.parameters.map((p) => variance(p.variable.dataSync() as Float32Array));
    // 60,000 and 40,000 draws: the sample variance has relative standard error ≤ √(2/40000) = 0.7%; allow 5%.
    expect(Math.abs(first! * 300 - 1)).toBeLessThan(0.05);
    expect(Math.abs(second! * 4 * 200 - 1)).toBeLessThan(0.05);
  });

  it('is deterministic per seed and rejects inputs of the wrong size', () => {
    const a = endToEndMatrix(build({ depth: 3, inputDim: 4, outputDim: 2, width: 3, init: 'balanced' }, 7));
    const b = endToEndMatrix(build({ depth: 3, inputDim: 4, outputDim: 2, width: 3, init: 'balanced' }, 7));
    expect(a.to1DArray()).toEqual(b.to1DArray());
    expect(() => createModel(deepLinear({ depth: 2, inputDim: 4, outputDim: 2 }), { inputShape: [5] })).toThrow(/built for inputs of size 4/);
  });
});
