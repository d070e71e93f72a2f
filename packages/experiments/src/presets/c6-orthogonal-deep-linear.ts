import { completed, describeTrend, fitLineWithError, fmt, lastValue, lossRatio, rankCorrelation, settingOf, sweepOf, trend, trendCriterion, passIf } from './criteria';
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
 * Flatness of the orthogonal min cosine: the least-squares slope against log₂ N must stay below
 * this per doubling (0.12 from N = 1 to 64). In theory it is 0; the noise is that of the largest
 * opposite-sign |⟨x_i, x_j⟩| of a data draw, about 0.04 per run at d = 16, n = 64, which over 3 draws
 * and 7 depths (Σ(log₂N − mean)² = 28 per draw) gives a slope standard error of 0.04/√3/√28 ≈ 0.004
 * (the smoke runs measure 0.003): the threshold is 5 standard errors. Gaussian layers fall by about
 * 0.05 per doubling at the same size.
 */
const FLAT_SLOPE = 0.02;

/**
 * Slack on |cos(∇f_i, ∇f_j)| ≤ |cos(x_i, x_j)|: the gradients are float32, and a Gram entry sums
 * ≤ 64·d² products, so its relative rounding error is ~√(64·d²)·6e-8 ≤ 1e-5 up to d = 100.
 */
const BOUND_SLACK = 1e-4;

/**
 * Growth of the orthogonal η allowed per doubling of N, in ln η: 5 % (at most ×1.34 from N = 1 to
 * 64). The expectation is −0.07 (from 1 + 1/(2N)); ln η of one run scatters by ~0.3 (η is a maximum
 * over pairs of products of residuals), so over 3 draws and 7 depths the slope's standard error is
 * ~0.3/√(3·28) ≈ 0.03, and 0.05 sits ~4 standard errors above the expectation.
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

/** Slope (and its standard error) of `value` against log₂ N over the runs: the change per doubling of depth. */
function slopePerDoubling(cells: readonly CellResult[], value: (c: CellResult) => number | undefined): { slope: number; standardError: number } {
  const points = cells.flatMap((c) => {
    const y = value(c);
    const depth = settingOf(c, DEPTH);
    return y === undefined || typeof depth !== 'number' ? [] : [{ x: Math.log2(depth), y }];
  });
  return fitLineWithError(
    points.map((p) => p.x),
    points.map((p) => p.y),
  );
}

function initCriteria(cells: readonly CellResult[]): CriterionResult[] {
  const orthogonal = ofInit(cells, ORTHOGONAL);
  const gaussian = ofInit(cells, GAUSSIAN);
  const out: CriterionResult[] = [];

  // |cos(∇f_i, ∇f_j)| = |⟨x_i, x_j⟩| exactly for orthogonal square layers, so the data bound the confusion.
  const margin = (c: CellResult) => {
    const cos = minCos(c);
    const data = read('data-geometry', 'maxAbsCosine')(c);
    return cos === undefined || data === undefined ? undefined : cos + data;
  };
  const orthogonalMargins = orthogonal.map(margin);
  const worst = Math.min(...orthogonalMargins.map((m) => m ?? Number.NEGATIVE_INFINITY));
  out.push({
    name: 'orthogonal, every depth: no gradient cosine is more negative than the data allow (min cos ≥ −max |cos(x_i, x_j)|; exact for orthogonal square layers)',
    verdict: passIf(orthogonal.length > 0 && worst >= -BOUND_SLACK),
    measured: `smallest min cos + max |cos(x_i, x_j)| over ${orthogonal.length} runs: ${fmt(worst)}`,
    expected: `≥ −${BOUND_SLACK}`,
  });

  const flat = slopePerDoubling(orthogonal, minCos);
  const orthogonalTrend = trend(orthogonal, DEPTH, minCos);
  const values = orthogonalTrend.map((p) => p.y);
  out.push({
    name: 'orthogonal: the min cosine is flat in depth (Theorem 6.1: depth-independent)',
    verdict: passIf(orthogonalTrend.length >= 3 && Math.abs(flat.slope) < FLAT_SLOPE),
    measured: `slope ${fmt(flat.slope)} ± ${fmt(flat.standardError)} per doubling of N (Gaussian: ${fmt(slopePerDoubling(gaussian, minCos).slope)}); range ${fmt(Math.max(...values) - Math.min(...values))} (${describeTrend(orthogonalTrend, 'mean min cos at N')})`,
    expected: `|slope| < ${FLAT_SLOPE} per doubling`,
  });

  // ln η per doubling of N: the bound is depth-free, and the expected scale E‖v‖² = 1 + 1/(2N) even shrinks.
  const eta = read('confusion', 'eta');
  const logEta = slopePerDoubling(orthogonal, (c) => {
    const v = eta(c);
    return v !== undefined && v > 0 ? Math.log(v) : undefined;
  });
  const depths = trend(orthogonal, DEPTH, eta).map((p) => p.x);
  const predicted = fitLineWithError(
    depths.map(Math.log2),
    depths.map((depth) => Math.log(1 + 1 / (2 * depth))),
  ).slope;
  out.push({
    name: 'orthogonal: η does not grow with depth (ln η per doubling of N; its expected scale 1 + 1/(2N) shrinks a little)',
    verdict: passIf(depths.length >= 3 && logEta.slope < ETA_GROWTH),
    measured: `slope ${fmt(logEta.slope)} ± ${fmt(logEta.standardError)}, expected from 1 + 1/(2N) ${fmt(predicted)} (${describeTrend(trend(orthogonal, DEPTH, eta), 'mean η at N')})`,
    expected: `< ${ETA_GROWTH} per doubling`,
  });

  out.push(
    trendCriterion({
      name: 'Gaussian (Strategy 4.1): the min cosine falls with depth (growing confusion, Theorem 4.1)',
      cells: gaussian,
      path: DEPTH,
      read: minCos,
      direction: 'falls',
      label: 'mean min cos at N',
      minimum: 0.5,
    }),
  );

  const deepest = Math.max(...gaussian.map((c) => settingOf(c, DEPTH) as number));
  const deepMargins = gaussian.filter((c) => settingOf(c, DEPTH) === deepest).map(margin);
  const broken = deepMargins.filter((m) => m !== undefined && m < -BOUND_SLACK).length;
  out.push({
    name: `Gaussian at the deepest N = ${deepest}: every run is more confused than any orthogonal net on the same data can be (min cos < −max |cos(x_i, x_j)|)`,
    verdict: passIf(deepMargins.length > 0 && broken === deepMargins.length),
    measured: `${broken} of ${deepMargins.length} runs; min cos + max |cos(x_i, x_j)|: ${deepMargins.map(fmt).join(', ')}`,
    expected: 'all runs below the bound',
  });

  const gaussianEta = trend(gaussian, DEPTH, read('confusion', 'eta'));
  out.push({
    name: 'Gaussian: η against depth (reported: besides the cosines it carries the random scale of the Gaussian product, whose spread grows with N)',
    verdict: 'reported',
    measured: `ρ = ${fmt(rankCorrelation(gaussianEta.map((p) => p.x), gaussianEta.map((p) => p.y)))} (${describeTrend(gaussianEta, 'mean η at N')})`,
    expected: 'grows with N',
  });
  return out;
}

function trainedCriteria(cells: readonly CellResult[]): CriterionResult[] {
  const orthogonal = ofInit(cells, ORTHOGONAL);
  const gaussian = ofInit(cells, GAUSSIAN);
  const steps = cells[0]?.config.steps ?? 0;
  const out: CriterionResult[] = [
    trendCriterion({
      name: `after ${steps} SGD steps, Gaussian: the min cosine still falls with depth`,
      cells: gaussian,
      path: DEPTH,
      read: minCos,
      direction: 'falls',
      label: 'mean min cos at N',
      minimum: 0.5,
    }),
  ];
  const orthogonalTrend = trend(orthogonal, DEPTH, minCos);
  out.push({
    name: `after ${steps} SGD steps, orthogonal: min cosine against depth (reported: training leaves the orthogonal matrices, where the theorem no longer applies)`,
    verdict: 'reported',
    measured: `slope ${fmt(slopePerDoubling(orthogonal, minCos).slope)} per doubling (${describeTrend(orthogonalTrend, 'mean min cos at N')})`,
    expected: 'flat',
  });
  const orthogonalLoss = trend(orthogonal, DEPTH, (c) => lossRatio(c));
  const gaussianLoss = trend(gaussian, DEPTH, (c) => lossRatio(c));
  const deepOrthogonal = orthogonalLoss.at(-1);
  const deepGaussian = gaussianLoss.at(-1);
  out.push({
    name: `after ${steps} SGD steps at the deepest N: the orthogonal net has reduced its full loss more than the Gaussian one (low confusion trains fast, §3)`,
    verdict: passIf(deepOrthogonal !== undefined && deepGaussian !== undefined && deepOrthogonal.x === deepGaussian.x && deepOrthogonal.y < deepGaussian.y),
    measured: `final / initial full loss: ${describeTrend(orthogonalLoss, 'orthogonal at N')}; ${describeTrend(gaussianLoss, 'Gaussian at N')}`,
    expected: 'orthogonal < Gaussian at the deepest N',
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
    const out = initCriteria(completed(sweepOf(results, 'init').cells));
    if (results['trained'] !== undefined) out.push(...trainedCriteria(completed(sweepOf(results, 'trained').cells)));
    return out;
  },
};
