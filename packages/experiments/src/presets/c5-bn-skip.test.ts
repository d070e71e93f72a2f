import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import type { RunSummary } from '../store/summary';
import { bnSkipPreset } from './c5-bn-skip';
import type { CellResult, PresetResults } from './preset';

const config = parseRunConfig({ arch: 'wrn', archOptions: { depth: 10, widthFactor: 1 }, data: 'synthetic-images' });
const DEPTHS = [10, 22, 40];

/** A completed cell of the depth × BN × skip grid whose last measurement says `minCos`. */
function cell(depth: number, batchNorm: boolean, skip: boolean, seed: number, minCos: number, loss = 1): CellResult {
  return {
    id: `${depth}${batchNorm}${skip}${seed}`,
    overrides: { 'archOptions.depth': depth, 'archOptions.batchNorm': batchNorm, 'archOptions.skip': skip },
    seed,
    config,
    status: 'completed',
    summary: { finalTrainLoss: loss } as RunSummary,
    records: [{ kind: 'minibatch-confusion', step: 10, epoch: 1, minCos }],
  };
}

/**
 * Four variants at three depths, three seeds ±0.01 apart: the min cosine is slope · log₁₀(β/10),
 * BN + skip's slope `both`, the others −0.3. `loss` sets a variant's final loss (default trained).
 */
function results(both: number, noise = 0.01, loss: (batchNorm: boolean, skip: boolean) => number = () => 1): PresetResults {
  const cells = DEPTHS.flatMap((d) =>
    [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ].flatMap(([bn, skip]) => [-1, 0, 1].map((e, seed) => cell(d, bn!, skip!, seed, (bn && skip ? both : -0.3) * Math.log10(d / 10) + noise * e, loss(bn!, skip!)))),
  );
  return { depth: { key: 'depth', cells } };
}

const against = (r: PresetResults, other: string) => bnSkipPreset.criteria(r, 'laptop').find((c) => c.name.endsWith(`falls less with depth than ${other}'s`))!;

describe('c5-bn-skip criteria', () => {
  it("pass when BN + skip's min cosine falls less with depth than each other variant's, beyond the seeds' noise", () => {
    const criteria = bnSkipPreset.criteria(results(0), 'laptop');
    for (const other of ['no BN, no skip', 'BN, no skip', 'no BN, skip']) expect(against(results(0), other).verdict).toBe('pass');
    expect(criteria.filter((c) => / falls with depth$/.test(c.name)).map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
    expect(criteria.find((c) => c.name.startsWith('BN + skip: the min cosine'))!.verdict).toBe('reported');
    expect(against(results(0), 'no BN, no skip').measured).toMatch(/^slope difference 0\.3 ± 0\.0\d+ per decade of β; BN \+ skip: slope/);
  });

  it('fail when BN + skip falls faster, and are inconclusive inside the noise', () => {
    expect(against(results(-0.6), 'no BN, no skip').verdict).toBe('fail');
    expect(against(results(-0.25, 0.3), 'no BN, no skip').verdict).toBe('inconclusive');
  });

  it('leave out runs that did not train, and judge a missing variant only at smoke scale', () => {
    // The plain CNN stays at chance (ln 10 ≈ 2.3): it has no trend, so its comparison is inconclusive.
    const r = results(0, 0.01, (bn, skip) => (!bn && !skip ? 2.3 : 1));
    expect(against(r, 'no BN, no skip')).toMatchObject({ verdict: 'inconclusive', measured: expect.stringContaining('9 of 36 runs not trained') });
    expect(against(r, 'BN, no skip').verdict).toBe('pass');
    // A variant with no trained run says so instead of a slope of no points ("n/a ± n/a ()").
    expect(against(r, 'no BN, no skip').measured).toMatch(/^BN \+ skip: slope .*; no BN, no skip: no trained run; 9 of 36/);
    const diverged = { depth: { key: 'depth', cells: results(0)['depth']!.cells.map((c) => (c.overrides['archOptions.batchNorm'] === false && c.overrides['archOptions.skip'] === false ? { ...c, status: 'diverged' as const } : c)) } };
    const complete = (scale: 'smoke' | 'laptop') => bnSkipPreset.criteria(diverged, scale).find((c) => c.name.startsWith('every variant'))!;
    expect(complete('smoke')).toMatchObject({ verdict: 'fail', measured: '3 of 4' });
    expect(complete('laptop').verdict).toBe('reported');
  });

  it("name the density figure with the trained runs alone, and report each variant's spread at the deepest setting", () => {
    const r = results(0, 0.01, (bn, skip) => (!bn && !skip ? 2.3 : 1));
    const spread = bnSkipPreset.criteria(r, 'laptop').find((c) => c.figure === 'cosine-density')!;
    const cells = r['depth']!.cells;
    const plain = (c: CellResult) => c.overrides['archOptions.batchNorm'] === false && c.overrides['archOptions.skip'] === false;
    expect(spread.runs).toEqual({ judged: cells.filter((c) => !plain(c)).map((c) => c.id), notTrained: cells.filter(plain).map((c) => c.id) });
    // These cells record no cosines, so a trained variant has no spread to show; the plain CNN has no trained run.
    expect(spread).toMatchObject({ verdict: 'reported', measured: 'no BN, no skip: no trained run; BN, no skip: no run; no BN, skip: no run; BN + skip: no run; 9 of 36 runs not trained (final loss ≥ 2.07) left out' });
  });
});
