import { completed, fitLine, fmt, groupBy, judgedRuns, lastValue, firstValue, mean, recordsOf, settingOf, sweepOf, trend, passIf } from './criteria';
import { duRatePerStep } from './du-linear-rate';
import { seedTrendCriterion } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetSweep } from './preset';

/**
 * Du et al. (2019) on their scaled fully connected net: at initialization the last hidden
 * layer's Gram G⁽ᴴ⁾(0) approaches the population Gram K⁽ᴴ⁾ as the width m grows (entries off by
 * O(1/√m)), so λ_min(G⁽ᴴ⁾(0)) → λ₀ = λ_min(K⁽ᴴ⁾) > 0; with m large enough, full-batch gradient
 * descent then drives the training loss to zero at a linear rate, at least (1 − ηλ₀/2) per step,
 * λ_min(G⁽ᴴ⁾(k)) stays ≥ λ₀/2, and the weights move less the wider the net.
 *
 * Loss scaling: Du et al. descend L = ½ Σᵢ (uᵢ − yᵢ)², a sum over the n examples; our square loss is
 * the mean of ½ (uᵢ − yᵢ)², i.e. L / n. Gradient descent on the mean with learning rate lr is
 * gradient descent on L with η_Du = lr / n, which is the η the rate bound uses here.
 */
const DEPTH = 2;
const EXAMPLES = 16;
const INPUT_DIM = 8;

function base(width: number | undefined, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    arch: 'du-mlp',
    archOptions: { depth: DEPTH, activation: 'relu', ...(width !== undefined ? { width } : {}) },
    // Unit-norm inputs, as the analysis assumes; targets from a linear teacher, |y| ≤ 1.
    data: 'sphere',
    dataOptions: { n: EXAMPLES, d: INPUT_DIM, testN: 1 },
    loss: 'square',
    // Du et al.'s analysis is of full-batch gradient descent (and n is small).
    batchSize: 'full',
    ...extra,
  };
}

/** G⁽ᴴ⁾(0) against K⁽ᴴ⁾ on the same examples, across widths and independent nets: no training. */
function atInitialization(widths: readonly number[], seeds: readonly number[]): PresetSweep {
  return { base: base(undefined, { steps: 0, metrics: [{ name: 'population-gram', n: EXAMPLES }] }), grid: { 'archOptions.width': widths }, seeds };
}

/** Full-batch gradient descent with the Gram, its last-layer spectrum and the weights watched. */
function training(widths: readonly number[], steps: number, every: number, seeds: readonly number[]): PresetSweep {
  return {
    base: base(undefined, {
      steps,
      lr: LR,
      logEvery: every,
      metrics: [
        { name: 'population-gram', n: EXAMPLES },
        { name: 'full-loss', every, start: true },
        { name: 'spectrum', of: 'output', layers: true, n: EXAMPLES, every, start: true },
        { name: 'weight-movement', every },
      ],
    }),
    grid: { 'archOptions.width': widths },
    seeds,
  };
}

/**
 * The report figures that show each claim: the report names a figure by its sweep's directory
 * (`init`, `training`) and the figure's own id, and draws each in that section only (the training
 * sweep measures the Gram at initialization too, but its section need not repeat the width figures).
 */
const FIGURES = {
  ratio: 'init-population-gram-ratio-vs-width',
  distance: 'init-population-gram-distance-vs-width',
  loss: 'training-full-training-loss',
  training: 'training-population-gram-training',
  movement: 'training-weight-movement',
} as const;

/** The learning rate on the mean loss (η_Du = LR / n = 0.125 on Du et al.'s sum). */
const LR = 2;

const read = (kind: string, field: string) => (c: CellResult) => lastValue(c, kind, field);

/** λ_min of the last hidden layer's block of the NTK at each spectrum measurement. */
function lastLayerLambdaMins(cell: CellResult): number[] {
  return recordsOf(cell, 'spectrum').flatMap((r) => {
    const layers = r['layers'] as Record<string, { lambdaMin?: unknown }> | undefined;
    const last = layers?.[`W(${DEPTH})`]?.lambdaMin;
    return typeof last === 'number' ? [last] : [];
  });
}

function lossSlope(cell: CellResult): number | undefined {
  const records = recordsOf(cell, 'full-loss').filter((r) => typeof r['loss'] === 'number' && (r['loss'] as number) > 0);
  if (records.length < 2) return undefined;
  return fitLine(
    records.map((r) => r.step),
    records.map((r) => Math.log(r['loss'] as number)),
  ).slope;
}

export const duGlobalMinimaPreset: Preset = {
  id: 'c12-du-global-minima',
  claim: 'In Du et al.’s scaled net the last layer’s Gram at initialization tends to the population Gram as the width grows, and full-batch gradient descent on a wide net reaches zero training loss at a linear rate with λ_min(G⁽ᴴ⁾) ≥ λ₀/2 throughout and weights that move less the wider the net.',
  source: 'Du et al. (2019), §5: Definition 5.1 (the population Gram) and Theorem 5.1',
  reading:
    'Initialization section: λ_min(G⁽ᴴ⁾(0)) / λ₀ against the width approaches 1, and max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| falls like 1/√m (a slope of −1/2 on log–log axes). Training section, at the widest m (the nets the rate and λ_min criteria judge): the full training loss on a log axis falls along a straight line at least as steep as the dashed bound (1 − ηλ₀/2)^k · L(0); λ_min of the last layer’s Gram stays above λ₀/2; weight movement (‖W(k) − W(0)‖ / ‖W(0)‖) is smaller for wider nets. The rate bound uses η_Du = lr / n, since our loss is the mean and theirs the sum.',
  figures: Object.values(FIGURES),
  scales: {
    smoke: {
      sweeps: { init: atInitialization([64, 256, 1024, 4096], [0, 1]), training: training([256, 1024, 2048], 40, 10, [0]) },
      scaledDown: `H = ${DEPTH}, n = ${EXAMPLES} unit inputs in d = ${INPUT_DIM}; widths up to 4,096 with 2 nets each at initialization; 40 full-batch steps at widths up to 2,048.`,
    },
    laptop: {
      sweeps: { init: atInitialization([64, 256, 1024, 4096, 8192], [0, 1, 2, 3]), training: training([256, 1024, 4096], 300, 10, [0, 1, 2]) },
      scaledDown: `H = ${DEPTH}, n = ${EXAMPLES} unit inputs in d = ${INPUT_DIM}; widths up to 8,192 with 4 nets each at initialization; 300 full-batch steps, 3 seeds (the weight-movement trend is judged over 3).`,
    },
    paper: {
      sweeps: { init: atInitialization([64, 256, 1024, 4096, 16384], [0, 1, 2, 3, 4, 5, 6, 7]), training: training([1024, 4096, 16384], 2000, 20, [0, 1, 2]) },
      scaledDown: 'the review states no experiment; this is the theorem’s setting at widths up to 16,384, 8 nets each, and 2,000 full-batch steps.',
    },
  },
  criteria(results): CriterionResult[] {
    const out: CriterionResult[] = [];
    const init = completed(sweepOf(results, 'init').cells);
    const ratioError = (c: CellResult) => {
      const lambda0 = read('population-gram', 'lambda0')(c);
      const last = read('population-gram', 'lambdaMinLast')(c);
      return lambda0 === undefined || last === undefined ? undefined : Math.abs(last / lambda0 - 1);
    };
    out.push(seedTrendCriterion({ name: '|λ_min(G⁽ᴴ⁾(0)) / λ₀ − 1| shrinks as the width m grows', cells: init, path: 'archOptions.width', read: ratioError, direction: 'falls', symbol: 'm', figure: FIGURES.ratio }));
    const errors = trend(init, 'archOptions.width', ratioError);
    const widest = errors.at(-1);
    out.push({
      name: 'at the largest width λ_min(G⁽ᴴ⁾(0)) is within 20 % of λ₀',
      verdict: passIf(widest !== undefined && widest.y < 0.2),
      measured: widest === undefined ? 'not measured' : `m = ${widest.x}: |ratio − 1| = ${fmt(widest.y)}`,
      expected: '< 0.2',
      figure: FIGURES.ratio,
    });
    const diffs = trend(init, 'archOptions.width', read('population-gram', 'maxAbsDiff'));
    const slope = fitLine(
      diffs.map((p) => Math.log(p.x)),
      diffs.map((p) => Math.log(p.y)),
    ).slope;
    out.push({
      name: 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| shrinks like 1/√m (log–log slope against m near −1/2)',
      verdict: passIf(diffs.length >= 3 && slope > -0.8 && slope < -0.3),
      measured: `slope ${fmt(slope)} (${diffs.map((p) => `m=${p.x}: ${fmt(p.y)}`).join(', ')})`,
      expected: 'between −0.8 and −0.3',
      figure: FIGURES.distance,
    });

    const trained = completed(sweepOf(results, 'training').cells);
    const widths = [...groupBy(trained, 'archOptions.width').keys()].filter((w): w is number => typeof w === 'number').sort((a, b) => a - b);
    const wide = trained.filter((c) => settingOf(c, 'archOptions.width') === widths.at(-1));
    const rates = wide.map((c) => {
      // The same per-step factor the training-loss figure draws its guide from.
      const perStep = duRatePerStep(c);
      const bound = perStep === undefined ? undefined : Math.log(perStep);
      const first = firstValue(c, 'full-loss', 'loss');
      const last = lastValue(c, 'full-loss', 'loss');
      return { slope: lossSlope(c), bound, drop: first !== undefined && last !== undefined ? last / first : undefined };
    });
    const meanSlope = mean(rates.map((r) => r.slope ?? Number.NaN));
    const meanBound = mean(rates.map((r) => r.bound ?? Number.NaN));
    const meanDrop = mean(rates.map((r) => r.drop ?? Number.NaN));
    out.push({
      name: `full-batch GD at m = ${widths.at(-1)} converges linearly, at least as fast as (1 − η_Du λ₀/2) per step (η_Du = lr / n)`,
      verdict: passIf(wide.length > 0 && meanSlope < meanBound && meanDrop < 1e-2),
      measured: `ln-loss slope ${fmt(meanSlope)} per step vs bound ln(1 − η_Du λ₀/2) = ${fmt(meanBound)}; final / initial loss ${fmt(meanDrop)}`,
      expected: 'slope ≤ bound and final / initial < 1e-2',
      figure: FIGURES.loss,
      runs: judgedRuns(wide),
    });
    const worst = Math.min(
      ...wide.map((c) => {
        const lambda0 = firstValue(c, 'population-gram', 'lambda0') ?? Number.NaN;
        return Math.min(...lastLayerLambdaMins(c)) / lambda0;
      }),
    );
    out.push({
      name: `λ_min(G⁽ᴴ⁾(k)) ≥ λ₀/2 at every measurement of training (m = ${widths.at(-1)})`,
      verdict: passIf(Number.isFinite(worst) && worst >= 0.5),
      measured: `smallest λ_min(G⁽ᴴ⁾(k)) / λ₀ = ${fmt(worst)}`,
      expected: '≥ 0.5',
      figure: FIGURES.training,
      runs: judgedRuns(wide),
    });
    out.push(
      seedTrendCriterion({ name: 'the weights move less the wider the net (relative distance from initialization at the end)', cells: trained, path: 'archOptions.width', read: read('weight-movement', 'ratio'), direction: 'falls', symbol: 'm', figure: FIGURES.movement }),
    );
    return out;
  },
};
