import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config';
import type { RunSummary } from '../summary';
import { cnnWrnDepthWidthPreset } from './c4-cnn-wrn-depth-width';
import type { CellResult, PresetResults } from './preset';
import { cosineSpread } from './wrn-protocol';

const config = parseRunConfig({ arch: 'cnn', archOptions: { depth: 10, widthFactor: 1 }, data: 'synthetic-images' });

function cell(path: string, value: number, minCos: number, loss: number, cosineValues: number[] = [minCos, 0, 0.1]): CellResult {
  return {
    id: `${path}${value}`,
    overrides: { [path]: value },
    seed: 0,
    config,
    status: 'completed',
    summary: { finalTrainLoss: loss } as RunSummary,
    records: [{ kind: 'minibatch-confusion', step: 10, epoch: 1, minCos, cosineValues }],
  };
}

/** Depth: min cosine −0.1, −0.2, −0.4 and loss 0.1, 0.2, 0.3; width: min cosine −0.4, −0.2, −0.1 and loss 0.3, 0.2, 0.1. */
function results(keys: readonly string[]): PresetResults {
  return Object.fromEntries(
    keys.map((key) => {
      const depth = key.includes('depth');
      const path = depth ? 'archOptions.depth' : 'archOptions.widthFactor';
      const values = depth ? [10, 16, 22] : [1, 2, 3];
      const minCos = depth ? [-0.1, -0.2, -0.4] : [-0.4, -0.2, -0.1];
      const loss = depth ? [0.1, 0.2, 0.3] : [0.3, 0.2, 0.1];
      return [key, { key, cells: values.map((v, i) => cell(path, v, minCos[i]!, loss[i]!)) }];
    }),
  );
}

describe('c4-cnn-wrn-depth-width criteria', () => {
  it('judge the min cosine falling with depth and rising with width, and the loss the other way, from laptop scale up', () => {
    const criteria = cnnWrnDepthWidthPreset.criteria(results(['cnn-depth', 'cnn-width', 'wrn-depth', 'wrn-width']), 'laptop');
    const judged = criteria.filter((c) => c.verdict !== 'reported');
    expect(judged).toHaveLength(4 * 3);
    expect(judged.every((c) => c.verdict === 'pass')).toBe(true);
    expect(criteria.find((c) => c.name.startsWith('WRN, width: the min cosine'))!.measured).toBe('ρ = 1 (min cosine at ℓ 1: -0.4, 2: -0.2, 3: -0.1)');
    // The same numbers under the other sweep's axis contradict the claim.
    const swapped = cnnWrnDepthWidthPreset.criteria({ 'cnn-depth': { ...results(['cnn-width'])['cnn-width']!, key: 'cnn-depth' } }, 'laptop');
    expect(swapped.find((c) => c.name.includes('min cosine'))!.verdict).toBe('fail');
  });

  it('report the trends at smoke scale, and the CIFAR-100 CNN width min cosine, which seed 001 A.4 sees flat', () => {
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
