import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { linearRegressionPreset } from './c1-linear-regression';
import type { CellResult, PresetResults } from './preset';

const STEPS = 10000;

/**
 * A run whose full loss falls as e^(−rate·t) to a floor: loss(t) = floor + e^(−rate·t), logged
 * every 250 steps, with a mean pairwise cosine of `cos`.
 */
function run(d: number, seed: number, rate: number, floor: number, cos = 0): CellResult {
  const records = Array.from({ length: STEPS / 250 + 1 }, (_, i) => ({ kind: 'full-loss', step: 250 * i, epoch: 0, loss: floor + Math.exp(-rate * 250 * i) }));
  return {
    id: `d${d}s${seed}`,
    overrides: { 'dataOptions.d': d, lr: 0.01 },
    seed,
    config: parseRunConfig({ arch: 'deep-linear', archOptions: { depth: 1 }, data: 'gaussian-regression', loss: 'square', seed, lr: 0.01, steps: STEPS, batchSize: 1 }),
    status: 'completed',
    summary: undefined,
    records: [...records, { kind: 'confusion', step: 0, epoch: 0, meanCos: cos }],
  };
}

type Shape = (seed: number) => { rate: number; floor: number; cos?: number };

function results(over: Shape, under: Shape, seeds = [0, 1, 2]): PresetResults {
  const cells = seeds.flatMap((seed) => [run(120, seed, over(seed).rate, over(seed).floor, over(seed).cos), run(80, seed, under(seed).rate, under(seed).floor, under(seed).cos)]);
  return { main: { key: 'main', cells } };
}

// The paper's picture: d = 120 falls without a floor (rate ≈ 1e-3 per step, seeds ±5 %), d = 80 sits at a
// floor near 0.2; the mean cosines are those the laptop runs measure (+0.0024 and −0.0024, ±0.0002).
const linear: Shape = (seed) => ({ rate: 1e-3 * (1 + (seed - 1) * 0.05), floor: 0, cos: 0.0024 + (seed - 1) * 2e-4 });
const plateau: Shape = (seed) => ({ rate: 2e-3, floor: 0.2 * (1 + (seed - 1) * 0.05), cos: -0.0024 + (seed - 1) * 2e-4 });

const verdicts = (r: PresetResults) => linearRegressionPreset.criteria(r, 'laptop').map((c) => c.verdict);

describe('c1 criteria', () => {
  it('pass on the paper’s picture: d = 120 converges linearly, d = 80 plateaus above it and is more confused', () => {
    expect(verdicts(results(linear, plateau))).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fail when the roles are swapped: d = 120 stalls at a floor while d = 80 keeps falling', () => {
    expect(verdicts(results(plateau, linear))).toEqual(['fail', 'fail', 'fail', 'fail']);
  });

  it('are inconclusive with one seed, or when both sizes converge alike within the seed noise', () => {
    expect(verdicts(results(linear, plateau, [0]))).toEqual(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive']);
    const alike = (seed: number) => ({ rate: 1e-3 * (1 + (seed - 1) * 0.3), floor: 0, cos: (seed - 1) * 0.01 });
    const alsoAlike = (seed: number) => ({ rate: 1e-3 * (1 + (1 - seed) * 0.3), floor: 0, cos: 0.001 + (1 - seed) * 0.01 });
    expect(verdicts(results(alike, alsoAlike)).slice(1)).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
  });
});
