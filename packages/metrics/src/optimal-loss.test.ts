import { ConfigError, createModel, createRng, dense, MemorySink, resolveLoss, train, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { metricHooks } from './hooks';
import { parseMetricSpecs } from './metric-spec';
import { excessLoss, optimalLinearLoss } from './optimal-loss';

const n = 40;
const d = 4;

/** y = x·w* + noise with correlated features: the optimum is neither 0 nor at w*. */
function regression(k: number, noise: number): Dataset {
  const rng = createRng(`optimal-${k}-${noise}`);
  const x = new Float32Array(n * d);
  rng.fillNormal(x);
  for (let i = 0; i < n; i++) x[i * d + 1] = x[i * d]! + 0.1 * x[i * d + 1]!;
  const y = new Float32Array(n * k);
  for (let i = 0; i < n; i++) for (let o = 0; o < k; o++) y[i * k + o] = x[i * d]! - (o + 1) * x[i * d + 2]! + noise * rng.normal();
  return { name: 'lin', inputShape: [d], task: 'regression', targetDim: k, train: { x, y, n } };
}

/** Mean over examples of (1/p)Σ_k (x_iᵀw_k − y_ik)^p, float64, W row-major k × d. */
function lossAt(data: Dataset, w: Float64Array, p: number): number {
  const k = data.targetDim!;
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < k; o++) {
      let r = -data.train.y[i * k + o]!;
      for (let j = 0; j < d; j++) r += data.train.x[i * d + j]! * w[o * d + j]!;
      total += r ** p / p;
    }
  }
  return total / n;
}

/** Solves A z = b by Gaussian elimination with partial pivoting (plain JS, independent of ml-matrix). */
function gauss(a: number[][], b: number[]): number[] {
  const m = a.map((row, i) => [...row, b[i]!]);
  const size = b.length;
  for (let c = 0; c < size; c++) {
    let pivot = c;
    for (let r = c + 1; r < size; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    for (let r = c + 1; r < size; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= size; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  const z = new Array<number>(size).fill(0);
  for (let r = size - 1; r >= 0; r--) z[r] = (m[r]![size]! - m[r]!.slice(r + 1, size).reduce((s, v, j) => s + v * z[r + 1 + j]!, 0)) / m[r]![r]!;
  return z;
}

describe('optimal linear loss (Arora et al. (2018), appendix C.1)', () => {
  it('ℓ2: the closed form equals the normal-equation residual', () => {
    const data = regression(2, 0.3);
    const o = optimalLinearLoss(data, 'square');
    const x = data.train.x;
    const xtx = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => Array.from({ length: n }, (_, i) => x[i * d + a]! * x[i * d + b]!).reduce((s, v) => s + v, 0)));
    const w = new Float64Array(2 * d);
    for (let k = 0; k < 2; k++) {
      const xty = Array.from({ length: d }, (_, a) => Array.from({ length: n }, (_, i) => x[i * d + a]! * data.train.y[i * 2 + k]!).reduce((s, v) => s + v, 0));
      w.set(gauss(xtx, xty), k * d);
    }
    const expected = lossAt(data, w, 2);
    // Two float64 solutions of a system with condition number ~1e3: agreement to ~1e-12 relative.
    expect(Math.abs(o.value - expected)).toBeLessThan(1e-10 * expected);
    expect(o.method).toBe('least-squares');
    expect(o.value).toBeGreaterThan(0.01);
    // The same value through 'l2' and { name: 'lp', p: 2 }.
    expect(optimalLinearLoss(data, 'l2').value).toBeCloseTo(o.value, 12);
  });

  it('ℓ4 and ℓ6: Newton reaches a point with zero gradient, below every nearby point and below the ℓ2 solution', () => {
    for (const p of [4, 6]) {
      const data = regression(2, 0.5);
      const o = optimalLinearLoss(data, { name: 'lp', p });
      expect(o.method).toBe('newton');
      // Gradient from the reference formula by central differences (float64, h = 1e-6 → error ~1e-10).
      const h = 1e-6;
      let gradSq = 0;
      for (let j = 0; j < o.weights.length; j++) {
        const up = Float64Array.from(o.weights);
        const down = Float64Array.from(o.weights);
        up[j]! += h;
        down[j]! -= h;
        gradSq += ((lossAt(data, up, p) - lossAt(data, down, p)) / (2 * h)) ** 2;
      }
      const gradAtZero = (() => {
        let s = 0;
        for (let j = 0; j < o.weights.length; j++) {
          const e = new Float64Array(o.weights.length);
          e[j] = h;
          const f = new Float64Array(o.weights.length);
          f[j] = -h;
          s += ((lossAt(data, e, p) - lossAt(data, f, p)) / (2 * h)) ** 2;
        }
        return Math.sqrt(s);
      })();
      expect(Math.sqrt(gradSq)).toBeLessThan(1e-7 * gradAtZero);
      expect(Math.abs(o.value - lossAt(data, o.weights, p))).toBeLessThan(1e-12 * o.value);
      const rng = createRng(`nearby-${p}`);
      for (const radius of [1e-3, 1e-2, 1e-1]) {
        for (let trial = 0; trial < 50; trial++) {
          const v = Float64Array.from(o.weights, (w) => w + radius * rng.normal());
          expect(lossAt(data, v, p)).toBeGreaterThan(o.value);
        }
      }
      const ls = optimalLinearLoss(data, 'square').weights;
      expect(lossAt(data, ls, p)).toBeGreaterThan(o.value * (1 + 1e-6));
    }
  });

  it('excess loss is loss − optimum, null where not positive; wrong losses and tasks are refused', () => {
    expect(excessLoss([3, 2.5, 2, 1.9], 2)).toEqual([1, 0.5, null, null]);
    const data = regression(1, 0.1);
    expect(() => optimalLinearLoss(data, 'logistic')).toThrow(ConfigError);
    expect(() => optimalLinearLoss({ ...data, task: 'classification' }, 'square')).toThrow(/regression/);
  });

  it('as a hook, records the optimum of the run loss once, at the start', async () => {
    const data = regression(1, 0.5);
    const specs = parseMetricSpecs([{ name: 'optimal-loss' }]);
    expect(specs[0]).toMatchObject({ start: true, end: false });
    const model = createModel(dense({ units: 1, bias: false }), { inputShape: [d], seed: 0 });
    const sink = new MemorySink();
    await train(model, data, { steps: 5, batchSize: 8, loss: resolveLoss('l4'), schedule: { kind: 'constant', lr: 0.01 }, seed: 0 }, { hooks: metricHooks(specs), sinks: [sink] });
    const records = sink.ofKind('optimal-loss');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ step: 0, method: 'newton' });
    expect(records[0]!.optimum).toBeCloseTo(optimalLinearLoss(data, 'l4').value, 12);
    model.dispose();
  });
});
