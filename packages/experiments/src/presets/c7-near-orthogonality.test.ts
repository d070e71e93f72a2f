import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { nearOrthogonalityPreset } from './c7-near-orthogonality';
import type { CellResult, PresetResults } from './preset';

const N = 500;
const DIMS = [16, 64, 256, 1024, 4096, 16384];

/** One data draw at dimension d whose largest |⟨x_i, x_j⟩| is `ratio` · √(ln N / d), with the lemma's ν = 3√(ln N / d). */
function draw(d: number, seed: number, ratio: number): CellResult {
  const scale = Math.sqrt(Math.log(N) / d);
  return {
    id: `d${d}s${seed}`,
    overrides: { 'dataOptions.d': d, dataSeed: seed },
    seed: 0,
    config: parseRunConfig({ arch: 'deep-linear', data: 'sphere', loss: 'square', steps: 0 }),
    status: 'completed',
    summary: undefined,
    records: [{ kind: 'data-geometry', step: 0, epoch: 0, maxAbsInner: ratio * scale, bound: 3 * scale, ratio }],
  };
}

function results(ratio: (d: number, seed: number) => number, seeds = [0, 1, 2, 3, 4]): PresetResults {
  return { main: { key: 'main', cells: DIMS.flatMap((d) => seeds.map((seed) => draw(d, seed, ratio(d, seed)))) } };
}

const verdicts = (r: PresetResults) => nearOrthogonalityPreset.criteria(r, 'laptop').map((c) => c.verdict);
/** Seed wobble of ±0.05 around 1.8: the spread the laptop draws show. */
const steady = (_d: number, seed: number) => 1.8 + (seed - 2) * 0.025;

describe('c7 criteria', () => {
  it('pass on the lemma’s picture: max |⟨x_i, x_j⟩| ∝ √(log N / d), every draw below ν', () => {
    expect(verdicts(results(steady))).toEqual(['pass', 'pass', 'pass']);
  });

  it('fail when the ratio grows with d (inner products shrinking slower than 1/√d) and too many draws exceed ν', () => {
    // Ratio 1.8 · 1.5 per decade of d: 1.8 → 8 across the sweep, above ν = 3 from d = 1024 on.
    const growing = (d: number, seed: number) => steady(d, seed) * 1.5 ** Math.log10(d / 16);
    const c = nearOrthogonalityPreset.criteria(results(growing), 'laptop');
    expect(c.map((x) => x.verdict)).toEqual(['pass', 'fail', 'fail']);
    expect(c[1]!.measured).toMatch(/^16 of 30 draws exceed ν/);
  });

  it('allow an exceedance that a 1 % chance per draw makes plausible: 1 of 30 draws', () => {
    const once = (d: number, seed: number) => (d === 16 && seed === 0 ? 3.1 : steady(d, seed));
    expect(nearOrthogonalityPreset.criteria(results(once), 'laptop')[1]).toMatchObject({ verdict: 'pass', measured: expect.stringMatching(/^1 of 30 draws exceed ν \(P\(≥ 1 \| δ\) = 0\.26/) });
  });

  it('are inconclusive when the draws scatter too widely for the trend, or with fewer than 3 draws per d', () => {
    // Each draw off by a factor up to 4 either way: the 2-SE band of the ratio's slope crosses the factor-2 bound.
    const scattered = (_d: number, seed: number) => 1.8 * 2 ** (seed - 2);
    expect(verdicts(results(scattered))[2]).toBe('inconclusive');
    expect(verdicts(results(steady, [0, 1]))).toEqual(['inconclusive', 'pass', 'inconclusive']);
  });
});
