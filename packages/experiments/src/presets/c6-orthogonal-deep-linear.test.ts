import { buildModel, endToEndMatrix } from '@overparam/architectures';
import { createRng, resolveLoss, tf, type Model } from '@overparam/core';
import { spherePoints } from '@overparam/data';
import { gradientGram } from '@overparam/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { orthogonalDeepLinearPreset } from './c6-orthogonal-deep-linear';
import type { CellResult, PresetResults } from './preset';

const models: Model[] = [];
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/**
 * The preset's reading rests on an identity: with orthogonal square layers, one output and
 * γ = 1/√(2N), ⟨∇f_i, ∇f_j⟩ = N·γ²·r_i·r_j·⟨x_i, x_j⟩, so every gradient cosine is
 * sign(r_i·r_j)·cos(x_i, x_j). Checked here against the float64 residuals of the end-to-end map.
 */
async function cosineDeviation(init: 'orthogonal' | 'strategy-4.1'): Promise<number> {
  const d = 6;
  const n = 10;
  const model = buildModel('deep-linear', { depth: 5, inputDim: d, outputDim: 1, width: d, init, scale: 'theorem-6.1' }, 3);
  models.push(model);
  const x = spherePoints(createRng('c6-identity'), n, d);
  const y = Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) / 2);
  const map = endToEndMatrix(model).to1DArray();
  const dot = (a: number, b: number) => Array.from({ length: d }, (_, k) => x[a * d + k]! * x[b * d + k]!).reduce((s, v) => s + v, 0);
  const residual = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, k) => map[k]! * x[i * d + k]!).reduce((s, v) => s + v, 0) - y[i]!);
  const before = tf.memory().numTensors;
  const xs = tf.tensor2d(x, [n, d]);
  const ys = tf.tensor2d(y, [n, 1]);
  const gram = await gradientGram(model, { x: xs, y: ys }, { loss: resolveLoss('square') });
  xs.dispose();
  ys.dispose();
  expect(tf.memory().numTensors).toBe(before);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const cosine = gram.matrix[i * n + j]! / Math.sqrt(gram.matrix[i * n + i]! * gram.matrix[j * n + j]!);
      const predicted = (Math.sign(residual[i]! * residual[j]!) * dot(i, j)) / Math.sqrt(dot(i, i) * dot(j, j));
      worst = Math.max(worst, Math.abs(cosine - predicted));
    }
  }
  return worst;
}

describe('c6: gradient cosines of deep linear nets', () => {
  it('are ±cos(x_i, x_j) for orthogonal square layers (float32 gradients: 1e-4), and not for Gaussian ones', async () => {
    expect(await cosineDeviation('orthogonal')).toBeLessThan(1e-4);
    expect(await cosineDeviation('strategy-4.1')).toBeGreaterThan(0.05);
  });
});

/** A completed cell at (init, depth) with the records the criteria read. */
function cell(init: string, depth: number, seed: number, values: { minCos: number; eta: number; maxAbsCosine?: number; loss?: [number, number] }): CellResult {
  const records = [
    { kind: 'confusion', step: 0, epoch: 0, minCos: values.minCos, eta: values.eta },
    { kind: 'data-geometry', step: 0, epoch: 0, maxAbsCosine: values.maxAbsCosine ?? 0.75 },
    ...(values.loss !== undefined
      ? [
          { kind: 'full-loss', step: 0, epoch: 0, loss: values.loss[0] },
          { kind: 'full-loss', step: 100, epoch: 1, loss: values.loss[1] },
        ]
      : []),
  ];
  return {
    id: `${init}-${depth}-${seed}`,
    overrides: { 'archOptions.init': init, 'archOptions.depth': depth },
    seed,
    config: parseRunConfig({ arch: 'deep-linear', archOptions: { depth, init }, data: 'sphere', loss: 'square', seed, steps: 100 }),
    status: 'completed',
    summary: undefined,
    records,
  };
}

const DEPTHS = [1, 2, 4, 8, 16, 32, 64];
const SEEDS = [0, 1, 2];
/** Seed-to-seed wobble of ±0.03, the size seen in the smoke runs. */
const wobble = (seed: number) => (seed - 1) * 0.03;
const flat = (depth: number, seed: number) => ({ minCos: -0.7 + wobble(seed) * 0.5, eta: 0.03 * (1 + 1 / (2 * depth)) });
const falling = (depth: number, seed: number) => ({ minCos: Math.max(-0.99, -0.65 - 0.06 * Math.log2(depth) + wobble(seed)), eta: 0.03 * Math.log2(2 * depth) });

function results(orthogonal: typeof flat, gaussian: typeof flat): PresetResults {
  const cells = ['orthogonal', 'strategy-4.1'].flatMap((init) => DEPTHS.flatMap((depth) => SEEDS.map((seed) => cell(init, depth, seed, (init === 'orthogonal' ? orthogonal : gaussian)(depth, seed)))));
  return { init: { key: 'init', cells } };
}

const judged = (r: PresetResults) => orthogonalDeepLinearPreset.criteria(r, 'smoke').filter((c) => c.verdict !== 'reported');

const verdictOf = (criteria: ReturnType<typeof judged>, pattern: RegExp) => criteria.find((c) => pattern.test(c.name))?.verdict;

describe('c6 criteria', () => {
  it('pass on the theorem’s picture: orthogonal flat and within the data bound, Gaussian falling below it', () => {
    const criteria = judged(results(flat, falling));
    expect(criteria.length).toBe(5);
    expect(criteria.filter((c) => c.verdict !== 'pass').map((c) => c.name)).toEqual([]);
    expect(criteria.find((c) => /is flat in depth/.test(c.name))?.figure).toBe('min-cosine-vs-depth');
  });

  it('fail when the orthogonal nets grow confused with depth like the Gaussian ones', () => {
    const failed = judged(results(falling, falling)).filter((c) => c.verdict === 'fail');
    expect(failed.map((c) => c.name)).toEqual([expect.stringMatching(/^orthogonal, every depth/), expect.stringMatching(/^orthogonal: the min cosine is flat/), expect.stringMatching(/^orthogonal: η does not grow/)]);
  });

  it('fail the data bound when the Gaussian nets stay as unconfused as the orthogonal ones; a flat Gaussian line is no trend either way', () => {
    const criteria = judged(results(flat, flat));
    expect(criteria.filter((c) => c.verdict === 'fail').map((c) => c.name)).toEqual([expect.stringMatching(/^Gaussian at the deepest/)]);
    // Slope 0 with seed noise: neither the claimed fall nor a rise clears 2 SE.
    expect(verdictOf(criteria, /^Gaussian \(Strategy 4\.1\): the min cosine falls/)).toBe('inconclusive');
  });

  it('are inconclusive when the seed noise hides the slope, or with fewer than 3 runs per depth', () => {
    // A flat orthogonal line whose runs scatter by ±0.3: the slope's 2-SE interval (≈ ±0.03 per doubling) crosses the ±0.02 bound.
    const noisy = (depth: number, seed: number) => ({ ...flat(depth, seed), minCos: -0.7 + (seed - 1) * 0.3 * (Math.log2(depth) % 2 === 0 ? 1 : -1), maxAbsCosine: 1 });
    expect(verdictOf(judged(results(noisy, falling)), /is flat in depth/)).toBe('inconclusive');
    const twoSeeds = (r: PresetResults): PresetResults => ({ init: { key: 'init', cells: r['init']!.cells.filter((c) => c.seed < 2) } });
    const criteria = judged(twoSeeds(results(flat, falling)));
    expect(criteria.filter((c) => c.verdict === 'inconclusive').map((c) => c.name)).toEqual([
      expect.stringMatching(/is flat in depth/),
      expect.stringMatching(/η does not grow/),
      expect.stringMatching(/^Gaussian \(Strategy 4\.1\)/),
      expect.stringMatching(/^Gaussian at the deepest/),
    ]);
    // The identity needs no seeds: it is still judged.
    expect(verdictOf(criteria, /^orthogonal, every depth/)).toBe('pass');
  });

  it('judge the trained sweep when there is one: the deep orthogonal net must have reduced its loss more, beyond the seed noise', () => {
    const trainedCells = (orthogonalLoss: number, spread = 0.0002) =>
      ['orthogonal', 'strategy-4.1'].flatMap((init) =>
        [1, 4, 16, 64].flatMap((depth) =>
          SEEDS.map((seed) => cell(init, depth, seed, { ...(init === 'orthogonal' ? flat : falling)(depth, seed), loss: [0.03, (init === 'orthogonal' ? orthogonalLoss : 0.027) + (seed - 1) * spread] })),
        ),
      );
    const withTrained = (loss: number, spread?: number) => orthogonalDeepLinearPreset.criteria({ ...results(flat, falling), trained: { key: 'trained', cells: trainedCells(loss, spread) } }, 'laptop');
    const lossCriterion = (loss: number, spread?: number) => withTrained(loss, spread).find((c) => /reduced its full loss/.test(c.name));
    expect(lossCriterion(0.002)?.verdict).toBe('pass');
    expect(lossCriterion(0.029)?.verdict).toBe('fail');
    // 0.026 against 0.027 with a seed spread of ±0.01: within the noise.
    expect(lossCriterion(0.026, 0.01)?.verdict).toBe('inconclusive');
    expect(withTrained(0.002).find((c) => /still falls with depth/.test(c.name))?.verdict).toBe('pass');
    expect(orthogonalDeepLinearPreset.criteria(results(flat, falling), 'smoke').some((c) => /SGD steps/.test(c.name))).toBe(false);
  });
});
