import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { depthAccelerationPreset } from './c9-depth-acceleration';
import type { CellResult, PresetResults } from './preset';

/**
 * A full-batch run whose loss falls as 10·e^(−k·t) over 2,000 steps (logged every 20): its area
 * under the log-loss curve is 1 − k·1010/ln 10, so a larger k is a faster model.
 */
function run(p: number, depth: number, lr: number, seed: number, k: number): CellResult {
  const records = Array.from({ length: 100 }, (_, i) => ({ kind: 'train', step: 20 * (i + 1), epoch: 0, loss: 10 * Math.exp(-k * 20 * (i + 1)) }));
  return {
    id: `p${p}d${depth}lr${lr}s${seed}`,
    overrides: { 'archOptions.depth': depth, lr },
    seed,
    config: parseRunConfig({ arch: 'deep-linear', archOptions: { depth, width: 1 }, data: 'lp-regression', loss: 'lp', p, seed, lr, steps: 2000 }),
    status: 'completed',
    summary: { outcome: 'completed' } as CellResult['summary'],
    records,
  };
}

type Rates = Readonly<Record<number, number>>;

/** l4 and l2 at lr 0.1 and l2-extended at lr 1, with decay rates per depth and a seed wobble of ±`wobble`·k. */
function results(l4: Rates, l2: Rates, l2Single: number, seeds = [0, 1, 2], wobble = 0.02): PresetResults {
  const cells = (p: number, lr: number, rates: Rates) => Object.entries(rates).flatMap(([depth, k]) => seeds.map((seed) => run(p, Number(depth), lr, seed, k * (1 + (seed - 1) * wobble))));
  return {
    l4: { key: 'l4', cells: cells(4, 0.1, l4) },
    // The single layer's ℓ2 run at the paper grid's 0.1 is slow; its best rate is 1, above the grid.
    l2: { key: 'l2', cells: cells(2, 0.1, l2) },
    'l2-extended': { key: 'l2-extended', cells: cells(2, 1, { 1: l2Single }) },
  };
}

const judged = (r: PresetResults) =>
  depthAccelerationPreset
    .criteria(r, 'laptop')
    .filter((c) => c.verdict !== 'reported')
    .map((c) => c.verdict);

// The paper's picture: under ℓ4 depth 2 and 3 converge twice as fast; under ℓ2 the single layer at its best rate is a little faster.
const paperL4 = { 1: 0.004, 2: 0.008, 3: 0.009 };
const paperL2 = { 1: 0.001, 2: 0.006, 3: 0.0055 };

describe('c9 criteria', () => {
  it('pass on the paper’s picture: ℓ4 deep nets faster, ℓ2 deep nets slower than the single layer at its best rate', () => {
    const criteria = depthAccelerationPreset.criteria(results(paperL4, paperL2, 0.008), 'laptop');
    expect(criteria.map((c) => c.verdict)).toEqual(['pass', 'pass', 'reported', 'pass', 'pass']);
    // The ℓ2 single layer is judged at lr 1 (extended), where it is fastest.
    expect(criteria[3]!.measured).toContain("depth 1: lr 1, area");
    expect(criteria[0]!.figure).toBe('l4-training-loss-at-picked-lr');
  });

  it('fail when depth slows ℓ4 down and speeds ℓ2 up beyond the seed noise', () => {
    expect(judged(results({ 1: 0.008, 2: 0.004, 3: 0.004 }, paperL2, 0.003))).toEqual(['fail', 'fail', 'fail', 'fail']);
  });

  it('are inconclusive with one seed per rate, or when the seeds scatter more than the models differ', () => {
    expect(judged(results(paperL4, paperL2, 0.008, [0]))).toEqual(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive']);
    // ±60 % between seeds against a 5 % difference between models.
    expect(judged(results({ 1: 0.004, 2: 0.0042, 3: 0.0042 }, paperL2, 0.0058, [0, 1, 2], 0.6))).toEqual(['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive']);
  });
});
