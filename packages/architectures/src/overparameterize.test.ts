import { createModel, tf, type Model, type TapEvent, type Tensor } from '@overparam/core';
import { Matrix } from 'ml-matrix';
import { afterEach, describe, expect, it } from 'vitest';
import { mlp } from './mlp';
import { overparameterize, overparameterizeLayer } from './overparameterize';
import { buildModel } from './registry';

const models: Model[] = [];
function keep(model: Model): Model {
  models.push(model);
  return model;
}
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

// 5 → 6 (out > in), 6 → 6 (square), 6 → 3 (out < in): every placement of the shaped factor.
const mlpOptions = { depth: 2, width: 6, inputDim: 5, outputDim: 3, activation: 'tanh' } as const;
const dims = [5, 6, 6, 3];

function inputs(): Tensor {
  return tf.tensor2d([
    [0.3, -1.2, 0.5, 0.9, -0.1],
    [1.1, 0.4, -0.7, 0.2, 0.6],
  ]);
}

function outputOf(model: Model): Float32Array {
  return tf.tidy(() => model.apply(inputs()).dataSync() as Float32Array);
}

function matrix(model: Model, path: string): Matrix {
  const p = model.parameters.find((q) => q.path === path)!;
  return Matrix.from1DArray(p.shape[0]!, p.shape[1]!, Float64Array.from(p.variable.dataSync()));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('overparameterize', () => {
  it('has Σ (in·out + (N−1)·min(in, out)² + out) parameters', () => {
    for (const n of [2, 3]) {
      const model = keep(createModel(overparameterizeLayer(mlp(mlpOptions), { factors: n }), { inputShape: [5] }));
      let expected = 0;
      for (let l = 1; l < dims.length; l++) expected += dims[l - 1]! * dims[l]! + (n - 1) * Math.min(dims[l - 1]!, dims[l]!) ** 2 + dims[l]!;
      expect(model.paramCount).toBe(expected);
      // Each dense layer P became P.0 … P.{N−1}, only the last with a bias.
      expect(model.parameters.filter((p) => p.path.endsWith('.b')).map((p) => p.path)).toEqual(['0.' + (n - 1) + '.b', '2.' + (n - 1) + '.b', '4.' + (n - 1) + '.b']);
    }
  });

  it('computes the original function class: its output is that of the MLP whose matrices are the products', () => {
    const op = keep(createModel(overparameterizeLayer(mlp(mlpOptions), { factors: 3, factorInit: 'paper' }), { inputShape: [5], seed: 4 }));
    const plain = keep(createModel(mlp(mlpOptions), { inputShape: [5] }));
    // Products in float64 on the JS side; dense stores [in, out], so x·W₀·W₁·W₂ is the product in order.
    plain.writeWeights(
      ['0', '2', '4'].flatMap((layer) => {
        const product = matrix(op, `${layer}.0.w`).mmul(matrix(op, `${layer}.1.w`)).mmul(matrix(op, `${layer}.2.w`));
        const bias = op.parameters.find((p) => p.path === `${layer}.2.b`)!;
        return [
          { path: `${layer}.w`, shape: [product.rows, product.columns], values: Float32Array.from(product.to1DArray()) },
          { path: `${layer}.b`, shape: bias.shape, values: bias.variable.dataSync() as Float32Array },
        ];
      }),
    );
    // Same function up to float32 rounding of three chained 6-wide products: ~1e-6; allow 1e-4.
    expect(maxDiff(outputOf(op), outputOf(plain))).toBeLessThan(1e-4);
  });

  it('preserve: a model is continued exactly (shaped factor = original weights, the others identities)', () => {
    const original = keep(buildModel('mlp', mlpOptions, 1));
    const op = keep(overparameterize(original, { factors: 3 }));
    expect(op.name).toBe('MLP-2-6-OP3');
    expect(maxDiff(outputOf(op), outputOf(original))).toBeLessThan(1e-5);
    // 6 → 3 keeps its shape in the first factor; 5 → 6 in the last; the square ones are exact identities.
    expect(matrix(op, '4.0.w').to1DArray()).toEqual(matrix(original, '4.w').to1DArray());
    expect(matrix(op, '0.2.w').to1DArray()).toEqual(matrix(original, '0.w').to1DArray());
    expect(matrix(op, '4.1.w').to1DArray()).toEqual(Matrix.eye(3).to1DArray());
    expect(matrix(op, '0.0.w').to1DArray()).toEqual(Matrix.eye(5).to1DArray());
  });

  it('reports a tap for every factor, so per-example metrics see each matrix', () => {
    const model = keep(createModel(overparameterizeLayer(mlp(mlpOptions), { factors: 2 }), { inputShape: [5] }));
    const paths: string[] = [];
    const recorder = {
      tap: (event: TapEvent) => {
        paths.push(...Object.values(event.paramPaths));
        return event.output;
      },
    };
    tf.tidy(() => model.apply(inputs(), { recorder }));
    expect(paths).toEqual(model.parameters.map((p) => p.path));
  });

  it('leaves frozen dense layers, deep linear nets and factors: 1 alone', () => {
    const du = keep(buildModel('du-mlp', { depth: 2, width: 4, inputDim: 3 }));
    const opDu = keep(overparameterize(du, { factors: 2 }));
    expect(opDu.parameters.map((p) => [p.path, p.trainable])).toEqual([
      ['0.0.w', true],
      ['0.1.w', true],
      ['3.0.w', true],
      ['3.1.w', true],
      ['6.w', false],
    ]);
    const dln = keep(buildModel('deep-linear', { depth: 2, inputDim: 3, outputDim: 2 }));
    expect(keep(overparameterize(dln, { factors: 3 })).paramCount).toBe(dln.paramCount);
    const layer = mlp(mlpOptions);
    expect(overparameterizeLayer(layer, { factors: 1 })).toBe(layer);
    expect(() => overparameterizeLayer(layer, { factors: 0 })).toThrow(/factors: must be a positive integer/);
  });
});
