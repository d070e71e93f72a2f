import { createRng, isOverparamError, tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { populationGram, type PopulationActivation } from './population-gram';

function unitRows(n: number, d: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: d }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const act: Record<string, { f: (x: number) => number; df: (x: number) => number }> = {
  relu: { f: (x) => Math.max(0, x), df: (x) => (x > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
};

/**
 * One step of the recursion by Monte Carlo in float64, from its definition rather than its 2×2
 * reduction: with w ~ N(0, I_d), (wᵀxᵢ)ᵢ ~ N(0, XXᵀ), so c_σ·mean_s σ(w_sᵀxᵢ)σ(w_sᵀxⱼ) estimates
 * K⁽¹⁾ for H = 2, and c_σ·(xᵢᵀxⱼ)·mean_s σ′σ′ estimates K⁽¹⁾ for H = 1. Returns estimates and
 * standard errors per entry.
 */
function monteCarloStep(x: number[][], f: (z: number) => number, cSigma: number, weightByDot: boolean, samples: number, seed: number) {
  const n = x.length;
  const rng = createRng(seed);
  const sum = new Float64Array(n * n);
  const sumSq = new Float64Array(n * n);
  const z = new Float64Array(n);
  const w = new Float64Array(x[0]!.length);
  for (let s = 0; s < samples; s++) {
    rng.fillNormal(w);
    for (let i = 0; i < n; i++) z[i] = f(x[i]!.reduce((acc, v, k) => acc + v * w[k]!, 0));
    for (let i = 0; i < n * n; i++) {
      const p = z[Math.floor(i / n)]! * z[i % n]!;
      sum[i]! += p;
      sumSq[i]! += p * p;
    }
  }
  return Array.from(sum, (s, i) => {
    const mean = s / samples;
    const se = Math.sqrt((sumSq[i]! / samples - mean * mean) / samples);
    const dot = weightByDot ? x[Math.floor(i / n)]!.reduce((acc, v, k) => acc + v * x[i % n]![k]!, 0) : 1;
    return { estimate: cSigma * dot * mean, se: cSigma * Math.abs(dot) * se };
  });
}

describe('populationGram', () => {
  const x = unitRows(6, 4, 11);

  for (const name of ['relu', 'tanh'] as const) {
    it(`${name}: one recursion step (σ, and σ′ for K⁽ᴴ⁾) agrees with a float64 Monte Carlo`, () => {
      const step = populationGram(x, { activation: name, depth: 2 }).hidden[1]!;
      const last = populationGram(x, { activation: name, depth: 1 });
      const cs = last.cSigma;
      const mcStep = monteCarloStep(x, act[name]!.f, cs, false, 40_000, 1);
      const mcLast = monteCarloStep(x, act[name]!.df, cs, true, 40_000, 2);
      // 5 standard errors: a false alarm among 72 entries has probability ~4e-5; a wrong formula
      // (a missing c_σ, degree 0 for degree 1) is off by far more than 5 SE ≈ 0.02.
      mcStep.forEach((m, i) => expect(Math.abs(step[i]! - m.estimate)).toBeLessThanOrEqual(5 * m.se + 1e-12));
      mcLast.forEach((m, i) => expect(Math.abs(last.matrix[i]! - m.estimate)).toBeLessThanOrEqual(5 * m.se + 1e-12));
    });
  }

  it('keeps Kᵢᵢ = 1 through every layer for unit inputs (that is what c_σ is for)', () => {
    for (const activation of ['relu', 'tanh', 'sigmoid', 'softplus', 'identity'] as PopulationActivation[]) {
      const g = populationGram(x, { activation, depth: 4 });
      for (const k of g.hidden) for (let i = 0; i < 6; i++) expect(k[i * 6 + i]).toBeCloseTo(1, 10);
    }
  });

  it('ReLU at 60°: K⁽¹⁾ = 1/3 for H = 1, and the arc-cosine composition for H = 2, by hand', () => {
    const pair = [[1, 0], [0.5, Math.sqrt(3) / 2]];
    expect(populationGram(pair, { activation: 'relu', depth: 1 }).matrix[1]).toBeCloseTo(0.5 * (2 / 3), 14);
    const k1 = (Math.sqrt(3) / 2 + (2 * Math.PI) / 3 * 0.5) / Math.PI; // c_σ = 2 times the degree-1 kernel
    const two = populationGram(pair, { activation: 'relu', depth: 2 });
    expect(two.hidden[1]![1]).toBeCloseTo(k1, 14);
    expect(two.matrix[1]).toBeCloseTo((k1 * (Math.PI - Math.acos(k1))) / Math.PI, 14);
    expect(two.matrix[0]).toBeCloseTo(1, 14); // θ = 0 on the diagonal: c_σ · 1 · ½
    // Two inputs: eigenvalues 1 ± K₀₁.
    expect(two.lambda0).toBeCloseTo(1 - two.matrix[1]!, 12);
  });

  it('identity: every K⁽ʰ⁾ is XXᵀ (a deep linear net of this scaling keeps the input Gram)', () => {
    const g = populationGram(x, { activation: 'identity', depth: 3 });
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(g.matrix[i * 6 + j]).toBeCloseTo(x[i]!.reduce((s, v, k) => s + v * x[j]![k]!, 0), 14);
  });

  it('normalises inputs, takes a tensor, and leaks no tensors', () => {
    const scaled = x.map((r, i) => r.map((v) => v * (i + 2)));
    const t = tf.tensor2d(scaled);
    const before = tf.memory().numTensors;
    const fromTensor = populationGram(t, { activation: 'softplus', depth: 2, nodes: 32 });
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    const fromRows = populationGram(x, { activation: 'softplus', depth: 2, nodes: 32 });
    fromRows.matrix.forEach((v, k) => expect(fromTensor.matrix[k]).toBeCloseTo(v, 6)); // float32 tensor
    expect(fromRows.lambda0).toBeGreaterThan(0);
    expect(fromRows.method).toBe('quadrature');
  });

  it('rejects zero inputs, ragged rows, a bad depth and unknown activations with typed errors', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isOverparamError(e) ? e.code : 'untyped';
      }
      return 'none';
    };
    expect(codeOf(() => populationGram([[1, 0], [0, 0]], { activation: 'relu', depth: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => populationGram([[1, 0], [1]], { activation: 'relu', depth: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => populationGram([], { activation: 'relu', depth: 1 }))).toBe('SHAPE_MISMATCH');
    expect(codeOf(() => populationGram(x, { activation: 'relu', depth: 0 }))).toBe('CONFIG_INVALID');
    expect(codeOf(() => populationGram(x, { activation: 'gelu' as never, depth: 1 }))).toBe('ACTIVATION_UNKNOWN');
  });
});
