import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { createRng } from '../rng';
import { tf } from '../tf';
import { endToEndDirection, endToEndDirectionSingleOutput } from './end-to-end';
import { createOptimizer } from './optimizer';

function gaussian(rows: number, cols: number, seed: string): Matrix {
  const values = new Float64Array(rows * cols);
  createRng(seed).fillNormal(values, 1);
  return Matrix.from1DArray(rows, cols, values);
}

/**
 * [A]^a for a symmetric PSD A by its own eigendecomposition (0^0 = 1). Eigenvalues below
 * size·ε·λ_max are rounding noise around 0 and count as 0 (otherwise (1e-16)^{1/3} ≈ 5e-6 leaks in).
 */
function psdPower(a: Matrix, e: number): Matrix {
  const evd = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const cutoff = a.rows * Number.EPSILON * Math.max(...evd.realEigenvalues);
  const d = Matrix.diag(evd.realEigenvalues.map((l) => (l > cutoff ? Math.pow(l, e) : Math.pow(0, e))));
  return evd.eigenvectorMatrix.mmul(d).mmul(evd.eigenvectorMatrix.transpose());
}

/**
 * The literal eq. 10 sum: 2N fractional powers, each formed on its own and multiplied out, as
 * opposed to the optimizer's single change of basis with Claim 1's eigenvalue table.
 */
function literalSum(w: Matrix, g: Matrix, depth: number): Matrix {
  const left = w.mmul(w.transpose());
  const right = w.transpose().mmul(w);
  let total = Matrix.zeros(w.rows, w.columns);
  for (let j = 1; j <= depth; j++) total = total.add(psdPower(left, (j - 1) / depth).mmul(g).mmul(psdPower(right, (depth - j) / depth)));
  return total;
}

const maxAbsDiff = (a: Matrix, b: Matrix): number => Math.max(...a.clone().sub(b).abs().to1DArray());

describe('end-to-end update rule (Arora et al. (2018), eq. 10, 12)', () => {
  it('the eigenbasis form equals the literal sum of fractional powers, wide and tall W', () => {
    for (const [rows, cols] of [
      [3, 5],
      [5, 3],
      [4, 4],
    ] as const) {
      const w = gaussian(rows, cols, `w${rows}x${cols}`);
      const g = gaussian(rows, cols, `g${rows}x${cols}`);
      for (const depth of [1, 2, 3, 5]) {
        // Both are float64 compositions of O(1) matrices via two different decompositions: 1e-10 is
        // ~10⁶ ulps of headroom, while a wrong power or a swapped side changes entries by O(1).
        const expected = literalSum(w, g, depth);
        expect(maxAbsDiff(endToEndDirection(w, g, depth), expected)).toBeLessThan(1e-10 * Math.max(1, ...expected.abs().to1DArray()));
      }
    }
  });

  it('the reference powers are powers: ([A]^{1/N})^N = A', () => {
    const w = gaussian(3, 5, 'power');
    const a = w.transpose().mmul(w);
    const root = psdPower(a, 1 / 3);
    // a has rank 3 of 5; the clamped zero eigenvalues stay 0 and rounding is ~1e-14 of ‖A‖.
    expect(maxAbsDiff(root.mmul(root).mmul(root), a)).toBeLessThan(1e-10 * Math.max(...a.abs().to1DArray()));
  });

  it('eq. 12 (single output) equals eq. 10', () => {
    const w = gaussian(1, 7, 'w1');
    const g = gaussian(1, 7, 'g1');
    for (const depth of [1, 2, 4]) {
      const fast = endToEndDirectionSingleOutput(Float64Array.from(w.to1DArray()), Float64Array.from(g.to1DArray()), depth);
      const general = literalSum(w, g, depth).to1DArray();
      fast.forEach((v, i) => expect(Math.abs(v - general[i]!)).toBeLessThan(1e-10 * Math.max(1, Math.abs(general[i]!))));
    }
    // At W = 0 every term with a positive power vanishes (N ≥ 2): no movement, as the paper notes.
    expect(Array.from(endToEndDirectionSingleOutput(new Float64Array(3), Float64Array.of(1, 2, 3), 3))).toEqual([0, 0, 0]);
  });

  it('steps W ← (1 − ηλN)W − η·direction on a tfjs variable, for a single output and in general', () => {
    for (const shape of [
      [4, 1],
      [4, 3],
    ] as const) {
      const w = gaussian(shape[0], shape[1], `step${shape}`);
      const g = gaussian(shape[0], shape[1], `grad${shape}`);
      const v = tf.variable(tf.tensor2d(Float32Array.from(w.to1DArray()), [...shape]));
      const grad = tf.tensor2d(Float32Array.from(g.to1DArray()), [...shape]);
      const w32 = Matrix.from1DArray(shape[0], shape[1], Float64Array.from(v.dataSync()));
      const g32 = Matrix.from1DArray(shape[0], shape[1], Float64Array.from(grad.dataSync()));
      const optimizer = createOptimizer({ name: 'end-to-end', virtualDepth: 3, weightDecay: 0.1 });
      const before = tf.memory().numTensors;
      optimizer.step([v], [grad], 0.05);
      expect(tf.memory().numTensors).toBe(before);
      const expected = w32.clone().mul(1 - 0.05 * 0.1 * 3).sub(literalSum(w32, g32, 3).mul(0.05)).to1DArray();
      // The step is float64, rounded once to float32: relative 6e-8 of entries of size O(1).
      Array.from(v.dataSync()).forEach((x, i) => expect(Math.abs(x - expected[i]!)).toBeLessThan(1e-6));
      tf.dispose([v, grad]);
    }
  });

  it('refuses a missing or bad depth and anything but one matrix, naming the field', () => {
    expect(() => createOptimizer({ name: 'end-to-end' })).toThrow(/virtualDepth/);
    expect(() => createOptimizer({ name: 'end-to-end', virtualDepth: 0 })).toThrow(ConfigError);
    expect(() => createOptimizer({ name: 'end-to-end', virtualDepth: 2, weightDecay: -1 })).toThrow(ConfigError);
    const a = tf.variable(tf.zeros([2, 2]));
    const b = tf.variable(tf.zeros([2]));
    const optimizer = createOptimizer({ name: 'end-to-end', virtualDepth: 2 });
    expect(() => optimizer.step([a, b], [a, b], 0.1)).toThrow(/single weight matrix/);
    tf.dispose([a, b]);
  });
});
