import { createRng, gaussHermite, type Rng } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { expectations, pairwise } from './gaussian-expectations';
import { populationGram } from './population-gram';

const sigma: Record<'relu' | 'softplus', { f: (z: number) => number; df: (z: number) => number }> = {
  relu: { f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0) },
  softplus: { f: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), df: (z) => 1 / (1 + Math.exp(-z)) },
};

function unitRows(n: number, d: number, rng: Rng): Float64Array[] {
  return Array.from({ length: n }, () => {
    const v = new Float64Array(d);
    rng.fillNormal(v);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, k) => s + v * b[k]!, 0);

/** y_r = w_r·x for every row r of a fresh N(0, 1) matrix W (rows × x.length), shared by all inputs. */
function applyRandomLayer(xs: Float64Array[], rows: number, rng: Rng): Float64Array[] {
  const w = new Float64Array(xs[0]!.length);
  const out = xs.map(() => new Float64Array(rows));
  for (let r = 0; r < rows; r++) {
    rng.fillNormal(w);
    xs.forEach((x, i) => (out[i]![r] = dot(w, x)));
  }
  return out;
}

/**
 * One random ResNet of width m in float64, written from Du et al.'s definition (not from the
 * recursion): the hidden Grams X⁽ʰ⁾X⁽ʰ⁾ᵀ and the last layer's NTK block
 * G⁽ᴴ⁾ᵢⱼ = Σ_r (∂uᵢ/∂W_r)·(∂uⱼ/∂W_r) with ∂uᵢ/∂W_r = a_r·β/√m·σ′(w_r·xᵢ)·xᵢ.
 */
function randomResNet(inputs: Float64Array[], act: keyof typeof sigma, depth: number, m: number, cRes: number, cSigma: number, rng: Rng) {
  const { f, df } = sigma[act];
  const n = inputs.length;
  const gramOf = (xs: Float64Array[]) => Float64Array.from({ length: n * n }, (_, k) => dot(xs[Math.floor(k / n)]!, xs[k % n]!));
  let xs = applyRandomLayer(inputs, m, rng).map((y) => y.map((v) => Math.sqrt(cSigma / m) * f(v)));
  const hidden = [gramOf(inputs), gramOf(xs)];
  const beta = cRes / depth;
  for (let h = 2; h < depth; h++) {
    const pre = applyRandomLayer(xs, m, rng);
    xs = xs.map((x, i) => x.map((v, r) => v + (beta / Math.sqrt(m)) * f(pre[i]![r]!)));
    hidden.push(gramOf(xs));
  }
  const pre = applyRandomLayer(xs, m, rng);
  const a = new Float64Array(m);
  rng.fillNormal(a);
  const last = Float64Array.from({ length: n * n }, (_, k) => {
    const [i, j] = [Math.floor(k / n), k % n];
    let s = 0;
    for (let r = 0; r < m; r++) s += a[r]! ** 2 * df(pre[i]![r]!) * df(pre[j]![r]!);
    return ((beta * beta) / m) * s * dot(xs[i]!, xs[j]!);
  });
  return { hidden, last };
}

describe('the ResNet population Gram (Du et al. (2019), §6)', () => {
  for (const act of ['relu', 'softplus'] as const) {
    it(`${act}: K⁽ʰ⁾ and K⁽ᴴ⁾ agree with the mean of wide random ResNets, and dropping the skip path's mean term does not`, () => {
      const rng = createRng(`resnet-gram/${act}`);
      const inputs = unitRows(4, 5, rng);
      const depth = 4;
      const cRes = 2;
      const k = populationGram(inputs, { activation: act, depth, architecture: 'resnet', cRes });
      const nets = 10;
      const m = 800;
      const draws = Array.from({ length: nets }, () => randomResNet(inputs, act, depth, m, cRes, k.cSigma, rng));
      const n = inputs.length;
      const compare = (exact: Float64Array, sample: (d: (typeof draws)[number]) => Float64Array) => {
        let worst = 0;
        for (let e = 0; e < n * n; e++) {
          const v = draws.map((d) => sample(d)[e]!);
          const mean = v.reduce((s, x) => s + x, 0) / nets;
          const se = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (nets - 1) / nets);
          // 4 standard errors of the mean over 10 nets, plus 0.01 for the finite-width bias: each
          // entry's fluctuation is O(1/√m) ≈ 0.035, and the bias of its mean, second order in those
          // fluctuations, is O(1/m) ≈ 1e-3 (m = 800); 0.01 leaves room for its constant.
          worst = Math.max(worst, Math.abs(mean - exact[e]!) - 4 * se - 0.01);
        }
        return worst;
      };
      for (let h = 1; h < depth; h++) expect(compare(k.hidden[h]!, (d) => d.hidden[h]!)).toBeLessThanOrEqual(0);
      expect(compare(k.matrix, (d) => d.last)).toBeLessThanOrEqual(0);

      // The control: the same recursion without the β(bᵢμⱼ + bⱼμᵢ) term (a ResNet kernel built as if σ
      // had mean zero) misses the networks by far more than the tolerance at the last hidden layer.
      const beta = cRes / depth;
      const e = expectations(act, () => gaussHermite(64));
      let withoutMean = k.hidden[1]!;
      for (let h = 2; h < depth; h++) {
        const branch = pairwise(withoutMean, n, beta * beta, e.value, false);
        withoutMean = withoutMean.map((v, i) => v + branch[i]!);
      }
      expect(compare(withoutMean, (d) => d.hidden[depth - 1]!)).toBeGreaterThan(0.05);
    });
  }
});
