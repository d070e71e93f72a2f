import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import type { RunSummary } from '../store/summary';
import { cnnWrnDepthWidthPreset } from './c4-cnn-wrn-depth-width';
import type { CellResult, PresetResults } from './preset';
import { cosineSpread } from './wrn-protocol';

const config = parseRunConfig({ arch: 'cnn', archOptions: { depth: 10, widthFactor: 1 }, data: 'synthetic-images' });

function cell(path: string, value: number, minCos: number, loss: number, cosineValues: number[] = [minCos, 0, 0.1], seed = 0): CellResult {
  return {
    id: `${path}${value}s${seed}`,
    overrides: { [path]: value },
    seed,
    config,
    status: 'completed',
    summary: { finalTrainLoss: loss } as RunSummary,
    records: [{ kind: 'minibatch-confusion', step: 10, epoch: 1, minCos, cosineValues }],
  };
}

/**
 * Depth: min cosine −0.1, −0.2, −0.4 and loss 0.1, 0.2, 0.3; width: min cosine −0.4, −0.2, −0.1
 * and loss 0.3, 0.2, 0.1; three seeds each, 0.001 apart (far inside the trends).
 */
function results(keys: readonly string[]): PresetResults {
  return Object.fromEntries(
    keys.map((key) => {
      const depth = key.includes('depth');
      const path = depth ? 'archOptions.depth' : 'archOptions.widthFactor';
      const values = depth ? [10, 16, 22] : [1, 2, 3];
      const minCos = depth ? [-0.1, -0.2, -0.4] : [-0.4, -0.2, -0.1];
      const loss = depth ? [0.1, 0.2, 0.3] : [0.3, 0.2, 0.1];
      const cells = values.flatMap((v, i) => [0, 1, 2].map((seed) => cell(path, v, minCos[i]! + 0.001 * seed, loss[i]! + 0.001 * seed, [minCos[i]!, 0, 0.1 * (seed + 1)], seed)));
      return [key, { key, cells }];
    }),
  );
}

describe('c4-cnn-wrn-depth-width criteria', () => {
  it('judge the min cosine falling with depth and rising with width, and the loss the other way, from laptop scale up', () => {
    const criteria = cnnWrnDepthWidthPreset.criteria(results(['cnn-depth', 'cnn-width', 'wrn-depth', 'wrn-width']), 'laptop');
    const judged = criteria.filter((c) => c.verdict !== 'reported');
    expect(judged).toHaveLength(4 * 3);
    expect(judged.every((c) => c.verdict === 'pass')).toBe(true);
    expect(criteria.find((c) => c.name.startsWith('WRN, width: the min cosine'))!.measured).toMatch(/^slope 0\.6\d+ ± .+; ℓ 1: -0\.399 ± 5\.77e-4 \(3\), ℓ 2: .+; 0 of 9 runs not trained/);
    // The same numbers under the other sweep's axis contradict the claim.
    const depthOf = { 1: 10, 2: 16, 3: 22 } as Record<number, number>;
    const widthCells = results(['cnn-width'])['cnn-width']!.cells.map((c) => ({ ...c, overrides: { 'archOptions.depth': depthOf[c.overrides['archOptions.widthFactor'] as number]! } }));
    const swapped = cnnWrnDepthWidthPreset.criteria({ 'cnn-depth': { key: 'cnn-depth', cells: widthCells } }, 'laptop');
    expect(swapped.find((c) => c.name.includes('min cosine'))!.verdict).toBe('fail');
  });

  it('leave runs still near chance out of the cosine trends, counting them', () => {
    const r = results(['cnn-depth']);
    const stuck = { 'cnn-depth': { key: 'cnn-depth', cells: r['cnn-depth']!.cells.map((c) => (c.overrides['archOptions.depth'] === 22 ? { ...c, summary: { finalTrainLoss: 2.25 } as RunSummary } : c)) } };
    const minCos = cnnWrnDepthWidthPreset.criteria(stuck, 'laptop').find((c) => c.name.includes('min cosine'))!;
    expect(minCos).toMatchObject({ verdict: 'inconclusive', measured: expect.stringContaining('3 of 9 runs not trained') });
  });

  it('report the trends at smoke scale, and the CIFAR-100 CNN width min cosine, which Sankararaman et al. (2020), A.4, see flat', () => {
    const smoke = cnnWrnDepthWidthPreset.criteria(results(['cnn-depth']), 'smoke');
    expect(smoke.filter((c) => c.verdict !== 'reported').map((c) => c.name)).toEqual([expect.stringContaining('every setting has a sample')]);
    const paper = cnnWrnDepthWidthPreset.criteria(results(['cnn-width-cifar100']), 'paper');
    expect(paper.find((c) => c.name.includes('min cosine'))!.verdict).toBe('reported');
    expect(paper.find((c) => c.name.includes('final training loss'))!.verdict).toBe('pass');
  });

  it('measures the spread of the cosines as their (population) standard deviation, against a hand loop', () => {
    const values = [-0.3, 0, 0.1, 0.6];
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const population = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
    expect(cosineSpread(cell('archOptions.depth', 10, -0.3, 1, values))).toBeCloseTo(population, 12);
    expect(cosineSpread(cell('archOptions.depth', 10, -0.3, 1, [0.2]))).toBeUndefined();
  });
});
