import { createRng } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { sphereDataWithTeacher, spherePoints } from './sphere';

const d = 20;

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Central finite differences in float64: an independent check of the analytic gradient. */
function numericGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  return Float64Array.from(x, (_, j) => {
    const up = x.slice();
    const down = x.slice();
    up[j]! += h;
    down[j]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

/** Points of the unit ball, not only the sphere, where the paper asks for the bounds to hold. */
function ballPoints(count: number): Float64Array[] {
  const rng = createRng('ball');
  const pts = spherePoints(rng, count, d);
  return Array.from({ length: count }, (_, i) => Float64Array.from(pts.subarray(i * d, (i + 1) * d), (v) => v * rng.uniform() ** (1 / d)));
}

describe('sphere', () => {
  it('puts every input on the unit sphere (to float32 rounding), isotropically', () => {
    const x = spherePoints(createRng(0), 4000, d);
    let maxErr = 0;
    const second = new Float64Array(d);
    const first = new Float64Array(d);
    for (let i = 0; i < 4000; i++) {
      const row = x.subarray(i * d, (i + 1) * d);
      maxErr = Math.max(maxErr, Math.abs(norm(row) - 1));
      row.forEach((v, j) => {
        first[j]! += v / 4000;
        second[j]! += (v * v) / 4000;
      });
    }
    // float32 keeps 24 bits: a unit vector's norm is off by at most a few 1e-8.
    expect(maxErr).toBeLessThan(1e-6);
    // Lemma E.2: E[x_p] = 0 and E[x_p²] = 1/d. Each coordinate's mean has sd √(1/d)/√4000 ≈ 0.0035,
    // its mean square sd ≈ √(2/(d(d+2)))/√4000 ≈ 0.0011; 5 sd bounds.
    for (let j = 0; j < d; j++) {
      expect(Math.abs(first[j]!)).toBeLessThan(0.018);
      expect(Math.abs(second[j]! - 1 / d)).toBeLessThan(0.0055);
    }
  });

  for (const teacher of ['linear', 'tanh'] as const) {
    it(`${teacher} teacher: targets are C(x), and |C| ≤ 1, ‖∇C‖ ≤ 1 on data and on the ball`, () => {
      const { dataset, teacher: t } = sphereDataWithTeacher({ n: 300, testN: 100, d, teacher, hidden: 30, seed: 4 });
      expect(dataset.task).toBe('regression');
      expect(dataset.inputShape).toEqual([d]);
      const points = [
        ...Array.from({ length: dataset.train.n }, (_, i) => Float64Array.from(dataset.train.x.subarray(i * d, (i + 1) * d))),
        ...ballPoints(300),
      ];
      let maxValue = 0;
      let maxGrad = 0;
      let maxGradErr = 0;
      points.forEach((x, i) => {
        maxValue = Math.max(maxValue, Math.abs(t.value(x)));
        const g = t.gradient(x);
        maxGrad = Math.max(maxGrad, norm(g));
        if (i % 30 === 0) {
          const fd = numericGradient((p) => t.value(p), x);
          maxGradErr = Math.max(maxGradErr, ...g.map((v, j) => Math.abs(v - fd[j]!)));
        }
      });
      expect(maxValue).toBeLessThanOrEqual(1);
      expect(maxGrad).toBeLessThanOrEqual(1);
      // Central differences with h = 1e-6 on O(1) functions: truncation ~h², rounding ~1e-16/h ≈ 1e-10.
      expect(maxGradErr).toBeLessThan(1e-7);
      // The targets are the teacher's values at the stored float32 inputs, rounded to float32.
      for (let i = 0; i < dataset.train.n; i++) expect(dataset.train.y[i]).toBe(Math.fround(t.value(points[i]!)));
      // Not vacuous: the bounds are met with room to spare only because of concentration, not a tiny scale.
      if (teacher === 'linear') expect(maxGrad).toBeGreaterThan(0.999);
      expect(maxValue).toBeGreaterThan(1 / Math.sqrt(d) / 2);
    });
  }

  it('is deterministic per seed and keeps the test set when n changes', () => {
    const a = sphereDataWithTeacher({ n: 50, testN: 20, d, teacher: 'tanh', hidden: 10, seed: 1 }).dataset;
    const b = sphereDataWithTeacher({ n: 10, testN: 20, d, teacher: 'tanh', hidden: 10, seed: 1 }).dataset;
    const c = sphereDataWithTeacher({ n: 50, testN: 20, d, teacher: 'tanh', hidden: 10, seed: 2 }).dataset;
    expect(b.test!.y).toEqual(a.test!.y);
    expect(b.train.x).toEqual(a.train.x.subarray(0, 10 * d));
    expect(c.train.y).not.toEqual(a.train.y);
  });
});
