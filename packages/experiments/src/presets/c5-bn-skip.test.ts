import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import type { RunSummary } from '../summary';
import { bnSkipPreset } from './c5-bn-skip';
import type { CellResult, PresetResults } from './preset';

const config = parseRunConfig({ arch: 'wrn', archOptions: { depth: 10, widthFactor: 1 }, data: 'synthetic-images' });

/** A completed cell of the depth × BN × skip grid whose last measurement says `minCos`. */
function cell(depth: number, batchNorm: boolean, skip: boolean, minCos: number, loss = 1): CellResult {
  return {
    id: `${depth}${batchNorm}${skip}`,
    overrides: { 'archOptions.depth': depth, 'archOptions.batchNorm': batchNorm, 'archOptions.skip': skip },
    seed: 0,
    config,
    status: 'completed',
    summary: { finalTrainLoss: loss } as RunSummary,
    records: [{ kind: 'minibatch-confusion', step: 10, epoch: 1, minCos }],
  };
}

/** Four variants at two depths; at the deepest, BN + skip's min cosine is `best` and the others −0.2, −0.1, −0.3. */
function results(best: number): PresetResults {
  const cells = [10, 40].flatMap((d) => [cell(d, false, false, d === 40 ? -0.2 : 0), cell(d, true, false, d === 40 ? -0.1 : 0), cell(d, false, true, d === 40 ? -0.3 : 0), cell(d, true, true, d === 40 ? best : 0)]);
  return { depth: { key: 'depth', cells } };
}

const headline = (r: PresetResults) => bnSkipPreset.criteria(r, 'laptop').find((c) => c.name.includes('highest min cosine'))!;

describe('c5-bn-skip criteria', () => {
  it('pass when BN + skip has the highest min cosine at the deepest setting, and say what each variant measured', () => {
    const c = headline(results(0.05));
    expect(c.verdict).toBe('pass');
    expect(c.name).toContain('β = 40');
    expect(c.measured).toBe('min cosine at β = 40: no BN, no skip: -0.2, BN, no skip: -0.1, no BN, skip: -0.3, BN + skip: 0.05; BN + skip minus the next highest: 0.15');
  });

  it('fail when another variant is as high or higher, or BN + skip has no measurement there', () => {
    expect(headline(results(-0.1)).verdict).toBe('fail');
    expect(headline(results(-0.15)).verdict).toBe('fail');
    const r = results(0.05);
    const withoutBoth = { depth: { key: 'depth', cells: r['depth']!.cells.filter((c) => !(c.overrides['archOptions.depth'] === 40 && c.overrides['archOptions.batchNorm'] === true && c.overrides['archOptions.skip'] === true)) } };
    expect(headline(withoutBoth).verdict).toBe('fail');
  });

  it('judge a missing variant only at smoke scale, where ten steps must leave every one measured', () => {
    const r = results(0.05);
    const diverged = { depth: { key: 'depth', cells: r['depth']!.cells.map((c) => (c.overrides['archOptions.batchNorm'] === false && c.overrides['archOptions.skip'] === false ? { ...c, status: 'diverged' as const } : c)) } };
    const complete = (scale: 'smoke' | 'laptop') => bnSkipPreset.criteria(diverged, scale).find((c) => c.name.startsWith('every variant'))!;
    expect(complete('smoke')).toMatchObject({ verdict: 'fail', measured: '3 of 4' });
    expect(complete('laptop').verdict).toBe('reported');
    // A diverged plain net does not stop BN + skip from being highest among those that trained.
    expect(headline(diverged).verdict).toBe('pass');
  });
});
