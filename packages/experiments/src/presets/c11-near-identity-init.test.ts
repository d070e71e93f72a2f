import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import type { LrPick } from '../sweep/lr-search';
import { nearIdentityInitPreset } from './c11-near-identity-init';
import type { CellResult, PresetResults } from './preset';

/** A deep-linear run whose training loss goes from 100 to 100·`ratio` (undefined ratio: diverged). */
function run(depth: number, init: string, lr: number, seed: number, ratio: number | undefined): CellResult {
  const diverged = ratio === undefined;
  return {
    id: `${init}-d${depth}-lr${lr}-s${seed}`,
    overrides: { 'archOptions.depth': depth, 'archOptions.init': init, lr },
    seed,
    config: parseRunConfig({ arch: 'deep-linear', archOptions: { depth, init }, data: 'lp-regression', loss: 'lp', p: 4, seed, lr, steps: 3000 }),
    status: diverged ? 'diverged' : 'completed',
    summary: undefined,
    records: [
      { kind: 'train', step: 50, epoch: 0, loss: 100 },
      { kind: 'train', step: 3000, epoch: 0, loss: diverged ? Number.NaN : 100 * ratio },
    ],
  };
}

type Outcome = (depth: number, init: string, lr: number, seed: number) => number | undefined;
const RATES = [1e-3, 1e-2, 1e-1];

function results(outcome: Outcome, seeds = [0, 1, 2]): PresetResults {
  const cells = [4, 8].flatMap((depth) => ['near-zero', 'near-identity'].flatMap((init) => RATES.flatMap((lr) => seeds.map((seed) => run(depth, init, lr, seed, outcome(depth, init, lr, seed))))));
  const pick = (depth: number): LrPick => ({ point: { 'archOptions.depth': depth, 'archOptions.init': 'near-identity' }, rule: 'arora-c1', lr: 1e-2, reason: '', onEdge: false, candidates: [] });
  return { deep: { key: 'deep', cells, lrPicks: [pick(4), pick(8)] } };
}

/** The paper's picture, seeds ±10 % apart: near-zero flat (or diverged at the top rate), near-identity falling 10⁴× at lr 0.01. */
const paper: Outcome = (_depth, init, lr, seed) => {
  const wobble = 1 + (seed - 1) * 0.1;
  if (init === 'near-zero') return lr === 1e-1 ? undefined : Math.min(1, 0.999 * wobble);
  return lr === 1e-2 ? 1e-4 * wobble : 0.1 * wobble;
};

const judged = (r: PresetResults) =>
  nearIdentityInitPreset
    .criteria(r, 'laptop')
    .filter((c) => c.verdict !== 'reported')
    .map((c) => c.verdict);

describe('c11 criteria', () => {
  it('pass on the paper’s picture: depth 8 near-zero stalls or diverges at every rate, near-identity trains at both depths', () => {
    const criteria = nearIdentityInitPreset.criteria(results(paper), 'laptop');
    expect(criteria.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass', 'reported']);
    expect(criteria[0]!.measured).toContain('lr 0.1: log₁₀ progress 0 ± 0 (3), 3 diverged');
  });

  it('fail when one rate trains the near-zero depth-8 net, or the near-identity nets barely move', () => {
    const trainsAtOneRate: Outcome = (depth, init, lr, seed) => (init === 'near-zero' && depth === 8 && lr === 1e-2 ? 0.01 * (1 + seed * 0.1) : paper(depth, init, lr, seed));
    expect(judged(results(trainsAtOneRate))[0]).toBe('fail');
    const identityStalls: Outcome = (depth, init, lr, seed) => (init === 'near-identity' ? 0.5 * (1 + seed * 0.1) : paper(depth, init, lr, seed));
    expect(judged(results(identityStalls))).toEqual(['pass', 'fail', 'fail']);
  });

  it('are inconclusive with one seed per rate, or when the seeds straddle the threshold', () => {
    expect(judged(results(paper, [0]))).toEqual(['inconclusive', 'inconclusive', 'inconclusive']);
    // Near-zero at lr 0.001 ending at 0.3×, 0.5× and 0.8× its start: mean progress ≈ log₁₀ 0.5 with a wide error.
    const straddles: Outcome = (depth, init, lr, seed) => (init === 'near-zero' && depth === 8 && lr === 1e-3 ? [0.3, 0.5, 0.8][seed] : paper(depth, init, lr, seed));
    expect(judged(results(straddles))[0]).toBe('inconclusive');
  });
});
