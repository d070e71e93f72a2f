import { completed, fmt, lastValue, sweepOf } from './criteria';
import { binomialTail, describeSetting, judgeWithin, logSlope, MIN_SEEDS, NOISE_MARGIN, seedTrendCriterion, settingValues } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetSweep, Verdict } from './preset';

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

/** The report figure that draws max |⟨x_i, x_j⟩|, √(log N / d) and ν against d: every criterion's. */
const FIGURE = 'near-orthogonality-vs-dimension';

const read = (field: string) => (c: CellResult) => lastValue(c, 'data-geometry', field);
const D = 'dataOptions.d';

/**
 * The lemma's order of magnitude: max |⟨x_i, x_j⟩| falls with d. Each data draw is one value per
 * d (the draws are the seeds), so the log-slope over draws carries its own noise margin.
 */
function shrinksCriterion(cells: readonly CellResult[]): CriterionResult {
  return seedTrendCriterion({ name: 'max |⟨x_i, x_j⟩| shrinks as d grows (Sankararaman et al. (2020), Lemma B.1: O(√(log N / d)))', cells, path: D, read: read('maxAbsInner'), direction: 'falls', symbol: 'd', figure: FIGURE });
}

/**
 * The lemma is a tail bound: a draw exceeds ν(δ) with probability at most δ, so some exceedances
 * are allowed. It is contradicted only when more draws exceed than a probability of δ per draw
 * makes plausible: P(X ≥ k) < `IMPLAUSIBLE` for X ~ Binomial(draws, δ). There is no
 * inconclusive side: a bound that holds is all the lemma claims.
 */
const IMPLAUSIBLE = 0.05;

function boundCriterion(cells: readonly CellResult[]): CriterionResult {
  const ratios = cells.flatMap((c) => {
    const max = read('maxAbsInner')(c);
    const bound = read('bound')(c);
    return max === undefined || bound === undefined ? [] : [max / bound];
  });
  const over = ratios.filter((r) => r > 1).length;
  const tail = binomialTail(over, ratios.length, DELTA);
  const verdict: Verdict = ratios.length === 0 || tail < IMPLAUSIBLE ? 'fail' : 'pass';
  return {
    name: `Lemma B.1’s tail bound holds: no more draws exceed its ν at δ = ${DELTA} than a ${DELTA * 100} % chance per draw allows`,
    verdict,
    measured: ratios.length === 0 ? 'not measured in any draw' : `${over} of ${ratios.length} draws exceed ν (P(≥ ${over} | δ) = ${fmt(tail)}); largest max |⟨x_i, x_j⟩| / ν ${fmt(Math.max(...ratios))}`,
    expected: `P(that many exceedances) ≥ ${IMPLAUSIBLE}`,
    figure: FIGURE,
  };
}

/**
 * "Of order √(log N / d)": the ratio max |⟨x_i, x_j⟩| / √(log N / d) has no trend in d. Judged as
 * an equivalence: the least-squares slope of log₁₀ ratio against log₁₀ d, over every draw, must
 * lie within the bound that lets the ratio change by at most a factor 2 across the swept range,
 * with its 2-SE interval inside. (For d ≫ log N the ratio tends to a constant near 2 (the maximum of N²/2 near-Gaussian inner products of variance 1/d); at small d
 * the inner products saturate near 1 and the ratio dips, which is the curvature the bound allows.)
 */
const RATIO_RANGE = 2;

function orderCriterion(cells: readonly CellResult[]): CriterionResult {
  const settings = settingValues(cells, D, (c) => {
    const r = read('ratio')(c);
    return r !== undefined && r > 0 ? Math.log10(r) : undefined;
  });
  const name = `max |⟨x_i, x_j⟩| / √(log N / d) stays bounded across d (changes by less than a factor ${RATIO_RANGE} over the swept range)`;
  const fit = logSlope(settings);
  const decades = settings.length < 2 ? 0 : Math.log10(settings.at(-1)!.x / settings[0]!.x);
  const bound = decades > 0 ? Math.log10(RATIO_RANGE) / decades : Number.NaN;
  const fewest = settings.length === 0 ? 0 : Math.min(...settings.map((s) => s.values.length));
  const short = settings.length < 3 ? `only ${settings.length} values of d measured; a trend needs 3` : fewest < MIN_SEEDS ? `${fewest} draw${fewest === 1 ? '' : 's'} at some d; the noise needs ${MIN_SEEDS}` : undefined;
  const verdict: Verdict = settings.length === 0 ? 'fail' : short !== undefined ? 'inconclusive' : judgeWithin(fit.slope, fit.standardError, bound);
  const perD = settings.map((s) => `d ${s.x}: ${describeSetting(s.values.map((v) => 10 ** v))}`).join(', ');
  return {
    name,
    verdict,
    measured: settings.length === 0 ? 'not measured in any draw' : `log₁₀ ratio slope ${fmt(fit.slope)} ± ${fmt(fit.standardError)} per decade of d${short !== undefined ? ` — ${short}` : ''}; ratio ${perD}`,
    expected: `|slope| + ${NOISE_MARGIN} SE < ${fmt(bound)} per decade (log₁₀ ${RATIO_RANGE} over ${fmt(decades)} decades)`,
    figure: FIGURE,
  };
}

export const nearOrthogonalityPreset: Preset = {
  id: 'c7-near-orthogonality',
  claim: 'Points drawn uniformly from the unit sphere are nearly orthogonal: the largest |⟨x_i, x_j⟩| over pairs shrinks like √(log N / d) and stays below Lemma B.1’s bound.',
  source: 'Sankararaman et al. (2020), appendix Lemma B.1; Sankararaman et al. (2020), §2',
  reading:
    'One dot per data draw. `max |⟨x_i, x_j⟩|` against d falls like 1/√d, parallel to the line √(log N / d) (their ratio stays bounded), and under the lemma’s ν at δ = 1 %; the criteria table gives the slope and the count of draws above ν.',
  figures: [FIGURE],
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
    return [shrinksCriterion(cells), boundCriterion(cells), orderCriterion(cells)];
  },
};
