import { completed, fitLineWithError, fmt, lastValue, lossRatio, passIf, sectionFigure, settingOf, sweepOf } from './criteria';
import { compareGroups, compareToBound, describeSetting, judgeEffect, judgeWithin, NOISE_MARGIN, seedTrendCriterion, settingValues, trendVerdict } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetResults, PresetSweep } from './preset';

/**
 * Sankararaman et al. (2020), §6, Theorem 6.1: a deep linear net g(x) = γ·W_N⋯W_1·x with orthogonal W_j and
 * γ = 1/√(2N), trained on the square loss with inputs uniform on the unit sphere, satisfies the
 * gradient confusion bound η with probability ≥ 1 − N_data²·exp(−c·d·η²), whatever the depth N.
 * Against it: the same net with Gaussian layers (Strategy 4.1, variance 1/d then 1/width), whose
 * confusion Theorem 4.1 says grows with depth.
 *
 * With square hidden layers (width = d) and one output, more holds exactly: the gradient of
 * f_i = ½(g(x_i) − y_i)² with respect to W_j is γ·r_i·(W_N⋯W_{j+1})ᵀ(W_{j−1}⋯W_1·x_i)ᵀ with
 * residual r_i = g(x_i) − y_i, and orthogonality makes ⟨∇f_i, ∇f_j⟩ = N·γ²·r_i·r_j·⟨x_i, x_j⟩ =
 * ½·r_i·r_j·⟨x_i, x_j⟩. Every gradient cosine is then ±⟨x_i, x_j⟩ (unit inputs): the minimum
 * cosine is minus the largest |⟨x_i, x_j⟩| among pairs whose residuals differ in sign, a quantity
 * whose distribution does not depend on N (the inputs are rotation invariant, so the direction of
 * the residual map γ·W_N⋯W_1 − C does not matter). η itself is ½·max(−r_i·r_j·⟨x_i, x_j⟩), whose
 * scale E‖γ·W_N⋯W_1 − C‖² = 1 + γ² = 1 + 1/(2N) (linear teacher C with ‖C‖ = 1) shrinks slightly
 * with depth: η should not grow, and the shallowest net (γ² = ½) has the most.
 */

const INIT = 'archOptions.init';
const DEPTH = 'archOptions.depth';
const ORTHOGONAL = 'orthogonal';
const GAUSSIAN = 'strategy-4.1';

/**
 * How the claims are judged. The sweeps' depths are powers of two, so a trend is the least-squares
 * slope against log₂ N over every run (data draws × nets: the seeds), with its standard error.
 *
 * Flatness of the orthogonal min cosine (Theorem 6.1: depth-independent) is an equivalence: the
 * slope's 2-SE interval must lie inside ±`FLAT_SLOPE` per doubling (0.12 from N = 1 to 64); "no
 * significant slope" alone would pass any noisy enough sweep. In theory the slope is 0; the noise
 * is that of the largest opposite-sign |⟨x_i, x_j⟩| of a data draw, about 0.04 per run at d = 16,
 * n = 64, so over 3 draws and 7 depths the slope's SE is ≈ 0.004 and the interval is ≈ ±0.008.
 * Gaussian layers fall by about 0.05 per doubling at the same size: the bound lies well between.
 */
const FLAT_SLOPE = 0.02;

/**
 * Slack on |cos(∇f_i, ∇f_j)| ≤ |cos(x_i, x_j)|, an identity for orthogonal square layers (a
 * pass/fail check, not a statistic): the gradients are float32, and a Gram entry sums ≤ 64·d²
 * products, so its relative rounding error is ~√(64·d²)·6e-8 ≤ 1e-5 up to d = 100.
 */
const BOUND_SLACK = 1e-4;

/**
 * Growth of the orthogonal η allowed per doubling of N, in ln η: 5 % (at most ×1.34 from N = 1 to
 * 64). The expectation is −0.07 (from 1 + 1/(2N)); ln η of one run scatters by ~0.3 (η is a maximum
 * over pairs of products of residuals), so over 3 draws and 7 depths the slope's standard error is
 * ~0.3/√(3·28) ≈ 0.03. Judged one-sided: pass when slope + 2 SE < 0.05, fail when slope − 2 SE > 0.05.
 */
const ETA_GROWTH = 0.05;

/** SGD after initialization (laptop and paper): a rate at which depth-64 orthogonal nets do not diverge. */
const LR = 0.05;
const BATCH = 8;

function base(n: number, d: number, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    arch: 'deep-linear',
    // Square hidden layers (width d) so the orthogonal factors are orthogonal matrices, not just semi-orthogonal.
    archOptions: { depth: 1, width: d, scale: 'theorem-6.1', init: ORTHOGONAL },
    // Unit-sphere inputs, real targets from a linear teacher with ‖∇C‖ = 1 (Theorem 6.1's setting).
    data: 'sphere',
    dataOptions: { n, d, testN: 1 },
    loss: 'square',
    ...extra,
  };
}

/**
 * Confusion of all n training examples at initialization, per init and depth; no training. Each
 * run draws its own data (and so its own teacher): the theorem's probability is over the data, and
 * with one fixed teacher the residual direction would tend to the same −C in every deep run.
 */
function atInitialization(n: number, d: number, depths: readonly number[], dataSeeds: readonly number[], seeds: readonly number[]): PresetSweep {
  return {
    base: base(n, d, {
      steps: 0,
      batchSize: 'full',
      // Both over all n training inputs, so they compare the same examples.
      metrics: [
        { name: 'confusion', n, seed: 0 },
        { name: 'data-geometry', n },
      ],
    }),
    grid: { [INIT]: [ORTHOGONAL, GAUSSIAN], [DEPTH]: depths, dataSeed: dataSeeds },
    seeds,
  };
}

/** The same nets after `steps` of SGD, confusion and full loss measured at the start and the end. */
function afterTraining(n: number, d: number, depths: readonly number[], seeds: readonly number[], steps: number): PresetSweep {
  return {
    base: base(n, d, {
      steps,
      lr: LR,
      batchSize: BATCH,
      logEvery: steps,
      metrics: [
        { name: 'confusion', n, seed: 0, start: true },
        { name: 'full-loss', start: true },
      ],
    }),
    grid: { [INIT]: [ORTHOGONAL, GAUSSIAN], [DEPTH]: depths },
    seeds,
  };
}

const POWERS_OF_TWO = [1, 2, 4, 8, 16, 32, 64];

const ofInit = (cells: readonly CellResult[], init: string) => cells.filter((c) => settingOf(c, INIT) === init);
const read = (kind: string, field: string) => (c: CellResult) => lastValue(c, kind, field);
const minCos = read('confusion', 'minCos');
const logEta = (c: CellResult) => {
  const v = read('confusion', 'eta')(c);
  return v !== undefined && v > 0 ? Math.log(v) : undefined;
};

/** The figure that plots the min cosine (and the data bound) against N, in the section of sweep `key`. */
const MIN_COSINE = 'min-cosine-vs-depth';

/**
 * Slope (and its standard error) of `value` against log₂ N over every run: the change per doubling
 * of depth; `why` says when there are too few depths or runs per depth for its error to mean anything.
 */
function slopePerDoubling(cells: readonly CellResult[], value: (c: CellResult) => number | undefined): { slope: number; standardError: number; why?: string } {
  const settings = settingValues(cells, DEPTH, value);
  const { slope, standardError, why } = trendVerdict(settings, 'rises');
  // logSlope fits against log₁₀ N; one doubling is log₁₀ 2 of it.
  return { slope: slope * Math.LOG10E * Math.LN2, standardError: standardError * Math.LOG10E * Math.LN2, ...(why !== undefined ? { why } : {}) };
}

const describeSlope = (fit: { slope: number; standardError: number; why?: string }) => `slope ${fmt(fit.slope)} ± ${fmt(fit.standardError)} per doubling of N${fit.why !== undefined ? ` — ${fit.why}` : ''}`;
const perDepth = (cells: readonly CellResult[], value: (c: CellResult) => number | undefined, label: string) =>
  `${label} ${settingValues(cells, DEPTH, value)
    .map((s) => `N ${s.x}: ${describeSetting(s.values)}`)
    .join(', ')}`;

/** min cos + max |cos(x_i, x_j)|: ≥ 0 when no gradient cosine is more negative than the data allow. */
function margin(c: CellResult): number | undefined {
  const cos = minCos(c);
  const data = read('data-geometry', 'maxAbsCosine')(c);
  return cos === undefined || data === undefined ? undefined : cos + data;
}

function initCriteria(cells: readonly CellResult[], figureOf: (id: string) => string): CriterionResult[] {
  const minCosineFigure = figureOf(MIN_COSINE);
  const orthogonal = ofInit(cells, ORTHOGONAL);
  const gaussian = ofInit(cells, GAUSSIAN);
  const out: CriterionResult[] = [];

  // An identity, not a statistic: |cos(∇f_i, ∇f_j)| = |⟨x_i, x_j⟩| for orthogonal square layers, so
  // every run must keep min cos ≥ −max |cos(x_i, x_j)| up to float32 rounding.
  const worst = Math.min(...orthogonal.map((c) => margin(c) ?? Number.NEGATIVE_INFINITY));
  out.push({
    name: 'orthogonal, every depth: no gradient cosine is more negative than the data allow (min cos ≥ −max |cos(x_i, x_j)|; an identity for orthogonal square layers, Sankararaman et al. (2020), §6)',
    verdict: passIf(orthogonal.length > 0 && worst >= -BOUND_SLACK),
    measured: `smallest min cos + max |cos(x_i, x_j)| over ${orthogonal.length} runs: ${fmt(worst)}`,
    expected: `≥ −${BOUND_SLACK} (float32 rounding)`,
    figure: minCosineFigure,
  });

  const flat = slopePerDoubling(orthogonal, minCos);
  out.push({
    name: 'orthogonal: the min cosine is flat in depth (Sankararaman et al. (2020), Theorem 6.1: depth-independent)',
    verdict: flat.why !== undefined ? 'inconclusive' : judgeWithin(flat.slope, flat.standardError, FLAT_SLOPE),
    measured: `${describeSlope(flat)} (Gaussian: ${fmt(slopePerDoubling(gaussian, minCos).slope)}); ${perDepth(orthogonal, minCos, 'min cos at')}`,
    expected: `|slope| + ${NOISE_MARGIN} SE < ${FLAT_SLOPE} per doubling`,
    figure: minCosineFigure,
  });

  // ln η per doubling of N: the bound is depth-free, and the expected scale E‖v‖² = 1 + 1/(2N) even shrinks.
  const eta = slopePerDoubling(orthogonal, logEta);
  const depths = settingValues(orthogonal, DEPTH, logEta).map((s) => s.x);
  const predicted = fitLineWithError(
    depths.map(Math.log2),
    depths.map((depth) => Math.log(1 + 1 / (2 * depth))),
  ).slope;
  out.push({
    name: 'orthogonal: η does not grow with depth (ln η per doubling of N; its expected scale 1 + 1/(2N) shrinks a little; Theorem 6.1)',
    verdict: eta.why !== undefined ? 'inconclusive' : judgeEffect(ETA_GROWTH - eta.slope, eta.standardError, 'rises'),
    measured: `${describeSlope(eta)}, expected from 1 + 1/(2N) ${fmt(predicted)}; ${perDepth(orthogonal, read('confusion', 'eta'), 'η at')}`,
    expected: `slope + ${NOISE_MARGIN} SE < ${ETA_GROWTH} per doubling`,
  });

  out.push(
    seedTrendCriterion({
      name: 'Gaussian (Strategy 4.1): the min cosine falls with depth (growing confusion, Sankararaman et al. (2020), Theorem 4.1)',
      cells: gaussian,
      path: DEPTH,
      read: minCos,
      direction: 'falls',
      symbol: 'N',
      figure: minCosineFigure,
    }),
  );

  // Below the data bound on average, beyond the noise of the runs at that depth (no orthogonal net on the same data can get there).
  const deepest = Math.max(...gaussian.map((c) => settingOf(c, DEPTH) as number));
  const deepMargins = gaussian.filter((c) => settingOf(c, DEPTH) === deepest).flatMap((c) => margin(c) ?? []);
  const below = compareToBound(deepMargins, 0, 'falls');
  out.push({
    name: `Gaussian at the deepest N = ${deepest}: more confused than any orthogonal net on the same data can be (min cos + max |cos(x_i, x_j)| < 0)`,
    verdict: deepMargins.length === 0 ? 'fail' : below.verdict,
    measured: `${deepMargins.length === 0 ? 'not measured' : `mean ${fmt(below.mean)} ± ${fmt(below.standardError)} over ${deepMargins.length} runs`}${below.why !== undefined ? ` — ${below.why}` : ''}; ${deepMargins.filter((m) => m < 0).length} of ${deepMargins.length} below 0`,
    expected: `< 0 by more than ${NOISE_MARGIN} SE`,
    figure: minCosineFigure,
  });

  out.push({
    name: 'Gaussian: η against depth (reported: besides the cosines it carries the random scale of the Gaussian product, whose spread grows with N)',
    verdict: 'reported',
    measured: `ln η ${describeSlope(slopePerDoubling(gaussian, logEta))}; ${perDepth(gaussian, read('confusion', 'eta'), 'η at')}`,
    expected: 'grows with N',
  });
  return out;
}

function trainedCriteria(cells: readonly CellResult[], figureOf: (id: string) => string): CriterionResult[] {
  const minCosineFigure = figureOf(MIN_COSINE);
  const orthogonal = ofInit(cells, ORTHOGONAL);
  const gaussian = ofInit(cells, GAUSSIAN);
  const steps = cells[0]?.config.steps ?? 0;
  const out: CriterionResult[] = [
    seedTrendCriterion({ name: `after ${steps} SGD steps, Gaussian: the min cosine still falls with depth`, cells: gaussian, path: DEPTH, read: minCos, direction: 'falls', symbol: 'N', figure: minCosineFigure }),
  ];
  out.push({
    name: `after ${steps} SGD steps, orthogonal: min cosine against depth (reported: training leaves the orthogonal matrices, where the theorem no longer applies)`,
    verdict: 'reported',
    measured: `${describeSlope(slopePerDoubling(orthogonal, minCos))}; ${perDepth(orthogonal, minCos, 'min cos at')}`,
    expected: 'flat',
    figure: minCosineFigure,
  });
  // log₁₀(final / initial full loss) of the deepest nets, orthogonal against Gaussian, over the seeds.
  const deepest = Math.max(...cells.map((c) => settingOf(c, DEPTH) as number));
  const logRatio = (c: CellResult) => {
    const r = lossRatio(c);
    return r !== undefined && r > 0 ? Math.log10(r) : undefined;
  };
  const atDeepest = (group: readonly CellResult[]) => group.filter((c) => settingOf(c, DEPTH) === deepest).flatMap((c) => logRatio(c) ?? []);
  const c = compareGroups(atDeepest(orthogonal), atDeepest(gaussian), 'falls');
  out.push({
    name: `after ${steps} SGD steps at the deepest N = ${deepest}: the orthogonal net has reduced its full loss more than the Gaussian one (low confusion trains fast, Sankararaman et al. (2020), §3)`,
    verdict: c.verdict,
    measured: `orthogonal − Gaussian: ${fmt(c.difference)} ± ${fmt(c.standardError)} in log₁₀(final / initial full loss)${c.why !== undefined ? ` — ${c.why}` : ''}; ${perDepth(orthogonal, logRatio, 'orthogonal at')}; ${perDepth(gaussian, logRatio, 'Gaussian at')}`,
    expected: `< 0 by more than ${NOISE_MARGIN} SE`,
    figure: figureOf('full-training-loss'),
  });
  return out;
}

export const orthogonalDeepLinearPreset: Preset = {
  id: 'c6-orthogonal-deep-linear',
  claim: 'With orthogonal layers and γ = 1/√(2N), the gradient confusion of a deep linear net on unit-sphere data does not depend on its depth N; with Gaussian layers it grows with N.',
  source: 'Sankararaman et al. (2020), §6, Theorem 6.1 (proof in Sankararaman et al. (2020), appendix D.5); Theorem 4.1 for the Gaussian contrast',
  reading:
    'One colour per initialization (`orthogonal`, `strategy-4.1` = Gaussian). The min cosine of the per-example gradients of all training examples, against depth: the orthogonal line stays level, at minus the largest |⟨x_i, x_j⟩| of the data (every orthogonal gradient cosine is ±⟨x_i, x_j⟩); the Gaussian line falls towards −1 as depth aligns every input with the product’s top singular direction. The `trained` section repeats this after a few SGD steps.',
  figures: ['min-cosine-vs-depth', 'full-training-loss'],
  scales: {
    smoke: {
      sweeps: { init: atInitialization(64, 16, POWERS_OF_TWO, [0, 1, 2], [0]) },
      scaledDown: 'at initialization only (no SGD); d = 16, 64 examples, N ∈ {1, 2, 4, …, 64}, 3 data draws per depth and init.',
    },
    laptop: {
      sweeps: { init: atInitialization(128, 32, POWERS_OF_TWO, [0, 1, 2, 3, 4], [0, 1]), trained: afterTraining(128, 32, [1, 4, 16, 64], [0, 1, 2], 100) },
      scaledDown: `d = 32, 128 examples, N ∈ {1, 2, 4, …, 64}, 5 data draws × 2 nets at initialization; then 100 SGD steps (batch ${BATCH}, lr ${LR}) at N ∈ {1, 4, 16, 64} on one data draw, 3 nets.`,
    },
    paper: {
      sweeps: {
        init: atInitialization(
          100,
          100,
          Array.from({ length: 64 }, (_, i) => i + 1),
          Array.from({ length: 10 }, (_, i) => i),
          [0, 1],
        ),
        trained: afterTraining(100, 100, POWERS_OF_TWO, [0, 1, 2, 3, 4], 1000),
      },
      scaledDown:
        'the theorem has no experiment in the paper; this is the issue’s protocol: every depth N = 1 … 64 at d = 100 with 100 examples (Sankararaman et al. (2020)’s N of fig. 1), 10 data draws × 2 nets, then 1,000 SGD steps at powers of two, 5 seeds.',
    },
  },
  criteria(results: PresetResults): CriterionResult[] {
    const out = initCriteria(completed(sweepOf(results, 'init').cells), (id) => sectionFigure(results, 'init', id));
    if (results['trained'] !== undefined) out.push(...trainedCriteria(completed(sweepOf(results, 'trained').cells), (id) => sectionFigure(results, 'trained', id)));
    return out;
  },
};
