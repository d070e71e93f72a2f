import { completed, fmt, groupBy, lastValue, mean, sweepOf, trendCriterion, passIf } from './criteria';
import type { CellResult, CriterionResult, Preset, PresetSweep } from './preset';

/**
 * Sankararaman et al. (2020), appendix Lemma B.1 (after Milman & Schechtman): N points drawn uniformly from the unit sphere
 * in d dimensions are nearly orthogonal, Pr[∃ i ≠ j: |⟨x_i, x_j⟩| > ν] ≤ N²·√(π/8)·exp(−(d − 1)ν²/2),
 * so max_{i≠j} |⟨x_i, x_j⟩| is of order √(log N / d). This is why gradients of a wide linear model
 * on such data barely interfere (Sankararaman et al. (2020), §2). No training: each cell draws a data set and the
 * `data-geometry` metric measures it at step 0.
 */

/** The lemma's failure probability at which its ν is compared: no cell may exceed ν at δ = 1 %. */
const DELTA = 0.01;

function sweep(n: number, dims: readonly number[], dataSeeds: readonly number[]): PresetSweep {
  return {
    base: {
      // The model is never trained (steps 0); a single linear layer is the cheapest one that fits.
      arch: 'deep-linear',
      archOptions: { depth: 1 },
      data: 'sphere',
      dataOptions: { n, testN: 1 },
      loss: 'square',
      steps: 0,
      // Nothing is trained; a full batch keeps the minibatch size from exceeding a small N.
      batchSize: 'full',
      metrics: [{ name: 'data-geometry', n, delta: DELTA }],
    },
    // The data set is drawn from dataSeed (the run seed only seeds the model).
    grid: { 'dataOptions.d': dims, dataSeed: dataSeeds },
    seeds: [0],
  };
}

const read = (field: string) => (c: CellResult) => lastValue(c, 'data-geometry', field);

export const nearOrthogonalityPreset: Preset = {
  id: 'c7-near-orthogonality',
  claim: 'Points drawn uniformly from the unit sphere are nearly orthogonal: the largest |⟨x_i, x_j⟩| over pairs shrinks like √(log N / d) and stays below Lemma B.1’s bound.',
  source: 'Sankararaman et al. (2020), appendix Lemma B.1; Sankararaman et al. (2020), §2',
  reading:
    'One dot per data draw. `max |⟨x_i, x_j⟩|` against d falls like 1/√d; the ratio to √(log N / d) stays flat (bounded) across d. The criteria table compares each draw with the lemma’s ν at δ = 1 %.',
  // No report figure draws `data-geometry` alone yet (it is a series of the min-cosine figures).
  figures: [],
  scales: {
    smoke: { sweeps: { main: sweep(100, [32, 128, 512, 2048], [0, 1, 2]) }, scaledDown: 'N = 100 points, d ∈ {32, 128, 512, 2048}, 3 data draws each.' },
    laptop: { sweeps: { main: sweep(500, [16, 64, 256, 1024, 4096, 16384], [0, 1, 2, 3, 4]) }, scaledDown: 'N = 500 points, d from 16 to 16,384 (×4 steps), 5 data draws each.' },
    paper: {
      sweeps: { main: sweep(1000, [10, 30, 100, 300, 1000, 3000, 10000, 30000], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) },
      scaledDown: 'nothing to scale: the lemma holds for any N and d; N = 1000, d from 10 to 30,000, 10 draws each.',
    },
  },
  criteria(results): CriterionResult[] {
    const cells = completed(sweepOf(results, 'main').cells);
    const out: CriterionResult[] = [];
    out.push(
      trendCriterion({ name: 'max |⟨x_i, x_j⟩| shrinks as d grows', cells, path: 'dataOptions.d', read: read('maxAbsInner'), direction: 'falls', label: 'mean max |⟨x_i, x_j⟩| at d' }),
    );
    // Exceeding ν(δ) happens with probability ≤ δ per draw; the union bound makes it far rarer still.
    const overBound = cells.map((c) => {
      const max = read('maxAbsInner')(c);
      const bound = read('bound')(c);
      return max === undefined || bound === undefined ? undefined : max / bound;
    });
    const worst = Math.max(...overBound.map((v) => v ?? Number.POSITIVE_INFINITY));
    out.push({
      name: `no draw exceeds Lemma B.1’s ν at δ = ${DELTA} (the largest max |⟨x_i, x_j⟩| / ν over ${cells.length} draws)`,
      verdict: passIf(cells.length > 0 && worst < 1),
      measured: fmt(worst),
      expected: '< 1',
    });
    const ratios = [...groupBy(cells, 'dataOptions.d')].map(([d, group]) => ({ d: d as number, ratio: mean(group.map(read('ratio')).filter((v): v is number => v !== undefined)) }));
    const values = ratios.map((r) => r.ratio);
    const spread = Math.max(...values) / Math.min(...values);
    out.push({
      name: 'max |⟨x_i, x_j⟩| / √(log N / d) stays bounded across d (no growth or decay beyond a factor 2)',
      verdict: passIf(ratios.length >= 2 && values.every(Number.isFinite) && spread < 2),
      measured: `ratio ${ratios.map((r) => `d=${r.d}: ${fmt(r.ratio)}`).join(', ')}; largest / smallest ${fmt(spread)}`,
      expected: 'largest / smallest < 2',
    });
    return out;
  },
};
