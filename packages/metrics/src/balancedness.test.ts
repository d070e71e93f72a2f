import { activation, createModel, createRng, dense, MemorySink, serial, tf, train, type Dataset, type Model } from '@overparam/core';
import { describe, expect, it, vi } from 'vitest';
import { balancedness, endToEnd, NotLinearChainError } from './balancedness';
import { metricHooks } from './hooks';
import { parseMetricSpecs } from './metric-spec';

/** A bias-free chain of dense layers with the given W_j (out × in, row-major nested arrays). */
function chain(weights: number[][][]): Model {
  const model = createModel(serial(...weights.map((w) => dense({ units: w.length, bias: false }))), { inputShape: [weights[0]![0]!.length], seed: 0 });
  // dense stores W_jᵀ as [in, out].
  model.writeWeights(
    weights.map((w, j) => ({ path: `${j}.w`, shape: [w[0]!.length, w.length], values: Float32Array.from(w[0]!.flatMap((_, i) => w.map((row) => row[i]!))) })),
  );
  return model;
}

// Plain loops, independent of ml-matrix: the hand computation the metric is checked against.
const t = (a: number[][]): number[][] => a[0]!.map((_, i) => a.map((row) => row[i]!));
const mul = (a: number[][], b: number[][]): number[][] => a.map((row) => b[0]!.map((_, c) => row.reduce((s, v, k) => s + v * b[k]![c]!, 0)));
const fro = (a: number[][]): number => Math.sqrt(a.flat().reduce((s, v) => s + v * v, 0));
const sub = (a: number[][], b: number[][]): number[][] => a.map((row, i) => row.map((v, j) => v - b[i]![j]!));

describe('balancedness and the end-to-end matrix (Arora et al. (2018), eq. 5, 7)', () => {
  // Values exact in float32 (multiples of 1/4), so the float32 storage adds no error.
  const w1 = [
    [1, 0.5, -0.25],
    [0, 2, 1],
  ]; // 2 × 3
  const w2 = [
    [0.5, -1],
    [1.5, 0.25],
    [-0.75, 1],
  ]; // 3 × 2
  const w3 = [[1, -0.5, 2]]; // 1 × 3

  it('matches a float64 hand computation on an unbalanced three-layer chain', () => {
    const model = chain([w1, w2, w3]);
    const b = balancedness(model);
    const d1 = fro(sub(mul(t(w2), w2), mul(w1, t(w1))));
    const d2 = fro(sub(mul(t(w3), w3), mul(w2, t(w2))));
    // float64 sums of a dozen exact products: agreement to 1e-12 relative.
    expect(b.pairs[0]!.distance).toBeCloseTo(d1, 12);
    expect(b.pairs[1]!.distance).toBeCloseTo(d2, 12);
    expect(b.pairs[0]!.relative).toBeCloseTo(d1 / fro(w1) ** 2, 12);
    expect(b.pairs[1]!.relative).toBeCloseTo(d2 / fro(w2) ** 2, 12);
    expect(b.maxDistance).toBeCloseTo(Math.max(d1, d2), 12);

    const e = endToEnd(model);
    const we = mul(w3, mul(w2, w1));
    expect(e.matrix.rows).toBe(1);
    expect(e.matrix.columns).toBe(3);
    e.matrix.to1DArray().forEach((v, i) => expect(v).toBeCloseTo(we[0]![i]!, 12));
    // A single row's only singular value is its Euclidean norm.
    expect(e.singularValues).toHaveLength(1);
    expect(e.singularValues[0]).toBeCloseTo(fro(we), 12);
    model.dispose();
  });

  it('is zero on a balanced chain and gives the singular values of a known W_e', () => {
    // W_1 = diag(3, 1)·R and W_2 = S·diag(3, 1) with R, S rotations: W_2ᵀW_2 = diag(9, 1) = W_1W_1ᵀ.
    const c = 0.6;
    const s = 0.8;
    const model = chain([
      [
        [3 * c, -3 * s],
        [s, c],
      ],
      [
        [3 * c, -s],
        [3 * s, c],
      ],
    ]);
    const b = balancedness(model);
    // float32 storage of 0.6 and 0.8 (relative error 3e-8) perturbs entries of size 9 by ~1e-6.
    expect(b.maxDistance!).toBeLessThan(1e-5);
    // W_e = S·diag(9, 1)·R has singular values 9 and 1.
    const sv = endToEnd(model).singularValues;
    expect(sv[0]).toBeCloseTo(9, 5);
    expect(sv[1]).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('a single matrix has no pairs; a model with biases or nonlinear layers is refused by type', () => {
    const single = chain([w1]);
    expect(balancedness(single)).toEqual({ pairs: [], maxDistance: null, maxRelative: null });
    single.dispose();
    const mlp = createModel(serial(dense({ units: 3 }), activation('tanh'), dense({ units: 1 })), { inputShape: [2], seed: 0 });
    expect(() => balancedness(mlp)).toThrow(NotLinearChainError);
    mlp.dispose();
  });

  it('runs as a hook from a spec, at the start by default, without leaking tensors', async () => {
    const rng = createRng('balancedness-hook');
    const n = 16;
    const x = new Float32Array(n * 3);
    rng.fillNormal(x);
    const y = Float32Array.from({ length: n }, (_, i) => x[3 * i]! - x[3 * i + 2]!);
    const data: Dataset = { name: 'lin', inputShape: [3], task: 'regression', targetDim: 1, train: { x, y, n } };
    const model = chain([w1, w2, w3]);
    const [spec] = parseMetricSpecs([{ name: 'balancedness', every: 5 }]);
    expect(spec).toMatchObject({ start: true, end: true, matrix: true });
    const sink = new MemorySink();
    const before = tf.memory().numTensors;
    // The hook reads the weights with data(): a dataSync would stall a page on WebGL/WebGPU.
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    try {
      await train(model, data, { steps: 10, batchSize: n, loss: 'square', schedule: { kind: 'constant', lr: 0.001 }, seed: 0 }, { hooks: metricHooks([spec!]), sinks: [sink] });
      expect(dataSync).not.toHaveBeenCalled();
    } finally {
      dataSync.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    const records = sink.ofKind('balancedness');
    expect(records.map((r) => r.step)).toEqual([0, 5, 10]);
    // The step-0 record is the initial chain: the hand computation above.
    const handMax = Math.max(fro(sub(mul(t(w2), w2), mul(w1, t(w1)))), fro(sub(mul(t(w3), w3), mul(w2, t(w2)))));
    expect(records[0]!.maxDistance as number).toBeCloseTo(handMax, 12);
    expect((records[0]!.endToEnd as number[][])[0]).toHaveLength(3);
    expect(records[2]!.maxDistance).not.toBe(records[0]!.maxDistance);
    model.dispose();
  });
});
