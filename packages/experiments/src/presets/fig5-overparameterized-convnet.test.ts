import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { overparameterizedConvnetPreset } from './fig5-overparameterized-convnet';
import type { CellResult, PresetResults } from './preset';

/** A run whose logged batch loss falls linearly from 2.3 to `end` over 30 logs: its mean batch loss is (2.3 + end) / 2. */
function run(factors: number, seed: number, end: number, status: CellResult['status'] = 'completed'): CellResult {
  return {
    id: `f${factors}s${seed}`,
    overrides: { 'overparameterize.factors': factors },
    seed,
    config: parseRunConfig({ arch: 'mnist-convnet', data: 'mnist', loss: 'softmax-cross-entropy', seed, steps: 600 }),
    status,
    summary: undefined,
    records: Array.from({ length: 30 }, (_, i) => ({ kind: 'train', step: 20 * (i + 1), epoch: 0, loss: 2.3 + ((end - 2.3) * i) / 29 })),
  };
}

function results(deepEnd: (seed: number) => number, originalEnd: (seed: number) => number, seeds = [0, 1, 2]): PresetResults {
  return { main: { key: 'main', cells: seeds.flatMap((seed) => [run(1, seed, originalEnd(seed)), run(2, seed, deepEnd(seed))]) } };
}

const verdicts = (r: PresetResults) => overparameterizedConvnetPreset.criteria(r, 'laptop').map((c) => c.verdict);
const wobble = (center: number, spread: number) => (seed: number) => center + (seed - 1) * spread;

describe('fig5 criteria', () => {
  it('pass when the overparameterized net’s batch loss is lower beyond the seed noise', () => {
    // Mean batch losses 1.3 ± 0.03 against 1.5 ± 0.03: a difference of 0.2 with SE ≈ 0.04.
    expect(verdicts(results(wobble(0.3, 0.05), wobble(0.7, 0.05)))).toEqual(['pass', 'pass', 'reported']);
  });

  it('fail when it is higher beyond the noise, and the training check fails on a diverged run', () => {
    expect(verdicts(results(wobble(0.7, 0.05), wobble(0.3, 0.05)))).toEqual(['pass', 'fail', 'reported']);
    const r = results(wobble(0.3, 0.05), wobble(0.7, 0.05));
    const withDiverged: PresetResults = { main: { key: 'main', cells: [...r['main']!.cells, run(2, 3, 0.3, 'diverged')] } };
    expect(verdicts(withDiverged)[0]).toBe('fail');
  });

  it('are inconclusive within the seed noise or with fewer than 3 seeds', () => {
    expect(verdicts(results(wobble(0.45, 0.4), wobble(0.5, 0.4)))[1]).toBe('inconclusive');
    expect(verdicts(results(wobble(0.3, 0.05), wobble(0.7, 0.05), [0, 1]))[1]).toBe('inconclusive');
  });
});
