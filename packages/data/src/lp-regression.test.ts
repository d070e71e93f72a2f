import { Matrix, SingularValueDecomposition, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { lpRegression, lpRegressionWithTeacher } from './lp-regression';

describe('lp-regression', () => {
  it('has the shape of the gas-sensor Ethanol task by default: 2,565 × 128, one real target, all training', () => {
    const data = lpRegression({ seed: 0 });
    expect(data.inputShape).toEqual([128]);
    expect(data.train.n).toBe(2565);
    expect(data.task).toBe('regression');
    expect(data.targetDim).toBe(1);
    expect(data.test).toBeUndefined();
  });

  it('is y = xᵀw*, and least squares in float64 recovers w*', () => {
    const n = 400;
    const d = 16;
    const { dataset, teacher } = lpRegressionWithTeacher({ n, d, inputCondition: 10, targetCondition: 50, seed: 3 });
    const rows = Array.from({ length: n }, (_, i) => Array.from(dataset.train.x.subarray(i * d, (i + 1) * d)));
    const x = new Matrix(rows);
    const y = Matrix.columnVector(Array.from(dataset.train.y));
    let maxResidual = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += rows[i]![j]! * teacher.weights[j]!;
      maxResidual = Math.max(maxResidual, Math.abs(s - dataset.train.y[i]!));
    }
    // Inputs and targets are float32 (relative error 6e-8) and |w*| reaches κ_x = 10 times |c|:
    // residuals of order 1e-5 at most.
    expect(maxResidual).toBeLessThan(1e-4);
    const fit = solve(x.transpose().mmul(x), x.transpose().mmul(y));
    for (let j = 0; j < d; j++) expect(fit.get(j, 0)).toBeCloseTo(teacher.weights[j]!, 2);
    // In the principal basis the optimum spans the target condition number exactly.
    const c = teacher.coefficients.map(Math.abs);
    expect(Math.max(...c) / Math.min(...c)).toBeCloseTo(50, 8);
  });

  it('has an input covariance with the asked-for spread of scales', () => {
    const n = 2000;
    const d = 32;
    const data = lpRegression({ n, d, inputCondition: 30, seed: 5 });
    const x = new Matrix(Array.from({ length: n }, (_, i) => Array.from(data.train.x.subarray(i * d, (i + 1) * d))));
    const sv = new SingularValueDecomposition(x, { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
    // Sample singular values of an n × d Gaussian design deviate from the population scales by
    // factors within (1 ± √(d/n))² ≈ (1 ± 0.13)²; a factor of 1.5 either way is ample.
    const ratio = sv[0]! / sv[d - 1]!;
    expect(ratio).toBeGreaterThan(30 / 1.5);
    expect(ratio).toBeLessThan(30 * 1.5);
  });

  it('is deterministic for a seed and adds noise when asked', () => {
    const a = lpRegression({ n: 50, d: 8, seed: 1 });
    expect(lpRegression({ n: 50, d: 8, seed: 1 }).train.y).toEqual(a.train.y);
    expect(lpRegression({ n: 50, d: 8, seed: 2 }).train.y).not.toEqual(a.train.y);
    const noisy = lpRegression({ n: 50, d: 8, noise: 0.5, seed: 1 });
    expect(noisy.train.x).toEqual(a.train.x);
    expect(noisy.train.y).not.toEqual(a.train.y);
  });
});
