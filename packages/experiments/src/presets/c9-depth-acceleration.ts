import { lrRules, pickLearningRate, type LrPick, type LrSearch } from '../sweep/lr-search';
import { ARORA_EXPONENTS, ARORA_INIT_STD, GAS_SENSOR_ETHANOL, logLossArea, lossLabelOf, runsAtBestRate, standIn } from './arora-regression';
import { fmt, settingOf, sweepOf } from './criteria';
import { compareGroups, describeSetting, MIN_SEEDS, NOISE_MARGIN, type Direction } from './noise-margin';
import type { CellResult, CriterionResult, Preset, PresetResults, PresetSweep } from './preset';

/**
 * Arora et al. (2018), fig. 3: a single linear layer against depth-2 and depth-3 linear nets with scalar
 * hidden layers (width 1) from the i.i.d. N(0, 0.01²) init, each model at its own best learning
 * rate from the grid {1e-5, 5e-5, …, 5e-1} (appendix C.1: the rate that converges fastest, here
 * the fewest full-batch steps to a loss target). Under ℓ4 depth accelerates; under ℓ2 it does not
 * (it slightly hinders). §7 explains why: the end-to-end rule's gain ‖W‖^{2−2/N} grows as the
 * large coordinates converge and speeds the small ones, which ℓ4's vanishing curvature leaves
 * stranded under a fixed rate; ℓ2's curvature does not vanish, so a well-tuned fixed rate suffices.
 *
 * The paper's grid can under-tune a model: on the stand-in data the single layer under ℓ2 converges
 * fastest near lr 1.5, above the grid's top rate 0.5 (where its pick then sits, on the edge). A
 * researcher seeing a pick on the edge tries larger rates, so ℓ2 also runs {1, 1.5, 2} and the
 * criteria report both results: the paper grid's (reported) and the extended grid's (judged).
 *
 * Judging "faster". Each model runs `runs` seeds at every rate (the near-zero init is random; the
 * data are fixed), the arora-c1 rule picks its rate by the mean steps to the target, and the speed
 * of a run is the area under its log-loss curve (`logLossArea`: the mean log₁₀ loss over the logged
 * steps, what a log-axis plot like fig. 3 shows at a glance). A deep net is faster than the single
 * layer when its mean area is lower by more than two Welch standard errors over the seeds; with one
 * seed per rate (smoke) nothing can clear a noise margin and the comparisons are inconclusive.
 */
const DEPTHS = [1, 2, 3] as const;
type Exponent = (typeof ARORA_EXPONENTS)[number];

/** Rates above the paper's grid, tried for ℓ2 once the single layer's pick sits on its top edge. */
const EXTENDED_RATES = [1, 1.5, 2] as const;

interface ScaleSetup {
  readonly data: Readonly<Record<string, unknown>>;
  /** Per loss: ℓ2 gets to its target sooner. */
  readonly steps: Readonly<Record<Exponent, number>>;
  readonly logEvery: number;
  /** The rates of the paper's grid this scale runs. */
  readonly grid: readonly number[];
  /** The loss (or loss − optimum) each model must reach; the rule picks the rate that gets there first. */
  readonly targets: Readonly<Record<Exponent, number>>;
  /** Seeds per rate (and model): `MIN_SEEDS` where a comparison is judged, 1 at smoke scale. */
  readonly runs: number;
  /** The paper's data has an optimum above 0: targets are then on loss − optimum (the `optimal-loss` record). */
  readonly aboveOptimum: boolean;
}

function search(setup: ScaleSetup, p: Exponent, grid: readonly number[]): LrSearch {
  return { rule: 'arora-c1', target: setup.targets[p], grid: [...grid], runs: setup.runs, minCompleted: setup.runs, ...(setup.aboveOptimum ? { aboveOptimum: true } : {}) };
}

function depthSweep(setup: ScaleSetup, p: Exponent, grid: readonly number[]): PresetSweep {
  return {
    base: {
      arch: 'deep-linear',
      // Scalar hidden layers, the paper's configuration from fig. 2 on.
      archOptions: { width: 1, init: 'near-zero', initStd: ARORA_INIT_STD },
      ...setup.data,
      loss: 'lp',
      p,
      batchSize: 'full',
      steps: setup.steps[p],
      logEvery: setup.logEvery,
      ...(setup.aboveOptimum ? { metrics: [{ name: 'optimal-loss' }] } : {}),
    },
    grid: { 'archOptions.depth': [...DEPTHS] },
    seeds: [0],
    lrSearch: search(setup, p, grid),
  };
}

function sweeps(setup: ScaleSetup): Record<string, PresetSweep> {
  return { l2: depthSweep(setup, 2, setup.grid), 'l2-extended': depthSweep(setup, 2, EXTENDED_RATES), l4: depthSweep(setup, 4, setup.grid) };
}

const PAPER_GRID = lrRules['arora-c1'].grid;

const SMOKE: ScaleSetup = {
  data: standIn({ n: 256, d: 16, inputCondition: 10, targetCondition: 10 }),
  steps: { 2: 200, 4: 400 },
  logEvery: 10,
  grid: [0.1, 0.5],
  targets: { 2: 0.01, 4: 0.002 },
  aboveOptimum: false,
  runs: 1,
};
const LAPTOP: ScaleSetup = {
  data: standIn(),
  steps: { 2: 2000, 4: 2000 },
  logEvery: 20,
  // At 1e-4 and below no model gets anywhere near the targets in 2,000 steps (measured: ℓ4 loss > 1).
  grid: PAPER_GRID.filter((lr) => lr >= 5e-4),
  targets: { 2: 0.005, 4: 0.02 },
  aboveOptimum: false,
  // Three seeds per rate so a speed difference has a standard error: three times the runs of one seed.
  runs: MIN_SEEDS,
};
const PAPER: ScaleSetup = {
  data: GAS_SENSOR_ETHANOL,
  steps: { 2: 20000, 4: 20000 },
  logEvery: 50,
  grid: PAPER_GRID,
  // Raw ppm targets: the losses are large; these are loss − optimum, read off the report's figure and adjust if needed.
  targets: { 2: 1, 4: 10 },
  aboveOptimum: true,
  runs: MIN_SEEDS,
};

/** The rule applied to one depth's runs over the given sweeps' cells together (the paper grid, or it and the extra rates). */
function pickFor(cells: readonly CellResult[], rule: LrSearch, depth: number): LrPick {
  const runs = cells
    .filter((c) => settingOf(c, 'archOptions.depth') === depth)
    .map((c) => ({ lr: settingOf(c, 'lr') as number, summary: c.summary, records: c.records }));
  return pickLearningRate(rule, { 'archOptions.depth': depth }, runs);
}

/** Mean steps to the target at the picked rate (Infinity when no rate reached it within the run). */
function stepsAtPick(pick: LrPick): number {
  const best = pick.candidates.find((c) => c.lr === pick.lr);
  return best?.stepsToTarget ?? Number.POSITIVE_INFINITY;
}

function describePicks(picks: ReadonlyArray<{ depth: number; pick: LrPick }>, steps: number): string {
  return picks
    .map(({ depth, pick }) =>
      pick.lr === null ? `depth ${depth}: no rate reached the target within ${steps} steps` : `depth ${depth}: lr ${pick.lr}${pick.onEdge ? ' (grid edge)' : ''}, ${Math.round(stepsAtPick(pick))} steps`,
    )
    .join('; ');
}

interface ModelSpeed {
  readonly depth: number;
  readonly pick: LrPick;
  /** Area under the log-loss curve of each seed at the model's best rate. */
  readonly areas: number[];
  readonly text: string;
}

function picksOf(results: PresetResults, keys: readonly string[], p: Exponent, grid: readonly number[], setup: ScaleSetup): ModelSpeed[] {
  const cells = keys.flatMap((k) => sweepOf(results, k).cells);
  const rule = search(setup, p, grid);
  return DEPTHS.map((depth) => {
    const pick = pickFor(cells, rule, depth);
    const { runs, lr, fallback } = runsAtBestRate(
      cells.filter((c) => settingOf(c, 'archOptions.depth') === depth),
      pick.lr,
      setup.aboveOptimum,
    );
    const areas = runs.flatMap((c) => logLossArea(c, setup.aboveOptimum) ?? []);
    const where = lr === undefined ? 'no completed run' : `lr ${lr}${fallback ? ' (no rate reached the target: the lowest area)' : pick.onEdge ? ' (grid edge)' : ''}`;
    return { depth, pick, areas, text: `depth ${depth}: ${where}, area ${areas.length > 0 ? describeSetting(areas) : 'n/a'}` };
  });
}

/** Depth `deep` against the single layer: `falls` claims the deep net faster (a lower area). */
function speedCriterion(name: string, deep: ModelSpeed, single: ModelSpeed, direction: Direction, steps: number): CriterionResult {
  const c = compareGroups(deep.areas, single.areas, direction);
  const missing = deep.areas.length === 0 || single.areas.length === 0;
  return {
    name,
    verdict: missing ? 'fail' : c.verdict,
    measured: `depth ${deep.depth} − depth 1: ${fmt(c.difference)} ± ${fmt(c.standardError)} in mean log₁₀ loss${c.why !== undefined ? ` (${c.why})` : ''}; ${single.text}; ${deep.text}; steps to target ${describePicks([single, deep], steps)}`,
    expected: `${direction === 'falls' ? '< 0' : '> 0'} by more than ${NOISE_MARGIN} SE`,
    figure: FIGURE,
  };
}

/** The sweeps' training loss at each model's picked rate (per sweep section). */
const FIGURE = 'training-loss-at-picked-lr';

const setups = { smoke: SMOKE, laptop: LAPTOP, paper: PAPER } as const;

export const depthAccelerationPreset: Preset = {
  id: 'c9-depth-acceleration',
  claim:
    'With each model at its own best learning rate, depth-2 and depth-3 linear nets (scalar hidden layers) reach a given ℓ4 loss in fewer gradient-descent steps than a single layer, while under ℓ2 depth does not help.',
  source: 'Arora et al. (2018), fig. 3, §7–8, appendix C.1',
  reading:
    'One section per sweep: `l4` and `l2` run depths 1, 2, 3 at every rate of the learning-rate grid (full-batch gradient descent, near-zero init); `l2-extended` runs the rates above the grid. Each depth’s picked rate is the one whose training loss first reaches the target (lr-search.json says why); compare the curves of the picked rates: under ℓ4 the deep nets’ curves fall below the single layer’s after a short plateau near the saddle at 0, under ℓ2 they do not. On the stand-in the optimum is 0, so the loss axis is the loss minus the optimum.',
  figures: ['training-loss-above-optimum', 'training-loss-at-picked-lr', 'training-loss'],
  scales: {
    smoke: {
      sweeps: sweeps(SMOKE),
      scaledDown:
        'the lp-regression stand-in (not the gas-sensor data) at 256 × 16 with condition numbers 10; the grid’s top two rates 0.1 and 0.5 only (each model’s best at this size; smaller ones are slower); 200 steps for ℓ2, 400 for ℓ4; targets 0.01 (ℓ2) and 0.002 (ℓ4); one seed per rate, so the speed comparisons are inconclusive.',
    },
    laptop: {
      sweeps: sweeps(LAPTOP),
      scaledDown:
        `the lp-regression stand-in at the gas-sensor task’s size (2,565 × 128), not the UCI data, which cannot be downloaded here; the grid’s rates from 5e-4 up (smaller ones cannot reach the targets in 2,000 steps), ${MIN_SEEDS} seeds per rate (the paper shows one run; seeds give the speed comparisons a standard error); targets 0.005 (ℓ2) and 0.02 (ℓ4).`,
    },
    paper: {
      sweeps: sweeps(PAPER),
      scaledDown:
        `the UCI gas-sensor Ethanol task (pass its directory with --set dataDir=…), the full grid {1e-5, …, 5e-1} plus {1, 1.5, 2} for ℓ2, ${MIN_SEEDS} seeds per rate, 20,000 steps; the targets (loss − optimum ≤ 1 for ℓ2, ≤ 10 for ℓ4, on raw ppm concentrations) are our choice, the paper states none.`,
    },
  },
  criteria(results, scale): CriterionResult[] {
    const setup = setups[scale];
    const out: CriterionResult[] = [];
    const l4 = picksOf(results, ['l4'], 4, setup.grid, setup);
    const target = (p: Exponent) => `loss ${setup.aboveOptimum ? '− optimum ' : ''}${setup.targets[p]}`;
    for (const deep of l4.slice(1)) {
      out.push({
        ...speedCriterion(`${lossLabelOf(4)}: depth ${deep.depth} accelerates: at each model's best rate, a lower area under the log-loss curve than the single layer (Arora et al. (2018), fig. 3 right)`, deep, l4[0]!, 'falls', setup.steps[4]),
        figure: `l4-${FIGURE}`,
      });
    }
    const paperGrid2 = picksOf(results, ['l2'], 2, setup.grid, setup);
    out.push({
      name: `${lossLabelOf(2)} with the paper’s grid only (reported, not judged: a pick on the grid’s top edge is under-tuned)`,
      verdict: 'reported',
      measured: `${describePicks(paperGrid2, setup.steps[2])} to ${target(2)}; ${paperGrid2.map((m) => m.text).join('; ')}`,
      expected: 'depth does not help (Arora et al. (2018), fig. 3, left)',
      figure: `l2-${FIGURE}`,
    });
    const extended2 = picksOf(results, ['l2', 'l2-extended'], 2, [...setup.grid, ...EXTENDED_RATES], setup);
    for (const deep of extended2.slice(1)) {
      out.push({
        ...speedCriterion(
          `${lossLabelOf(2)}: depth ${deep.depth} does not accelerate, it slightly hinders: with the grid extended by {${EXTENDED_RATES.join(', ')}}, a higher area under the log-loss curve than the single layer (Arora et al. (2018), fig. 3 left)`,
          deep,
          extended2[0]!,
          'rises',
          setup.steps[2],
        ),
        // The single layer's best ℓ2 rate lies in the extended sweep, the deep nets' in the paper grid's.
        figure: 'l2-extended-training-loss',
      });
    }
    return out;
  },
};

