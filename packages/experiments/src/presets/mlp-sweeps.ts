import type { LrSearch } from '../sweep/lr-search';
import { atPickedRates, chanceLoss, firstValue, fmt, lastValue, NOT_TRAINED_FRACTION, settingOf, splitByTraining, sweepOf } from './criteria';
import { seedTrendCriterion } from './noise-margin';
import type { CellResult, CriterionResult, PresetResults, PresetSweep } from './preset';

/**
 * The MLP-β-ℓ experiments of Sankararaman et al. (2020), appendix A.1 (figs. 5 and 6), shared by the depth preset
 * (C2) and the width preset (C3): four families of networks (tanh or identity activations, each
 * under Glorot or LeCun normal initialization), one swept size, gradient confusion measured at
 * initialization and at the end of training, and the final training loss.
 */

/** The activations and initializers of Sankararaman et al. (2020), appendix A.1; each pair is a family, one panel of figs. 5 and 6. */
export const MLP_ACTIVATIONS = ['tanh', 'identity'] as const;
export const MLP_INITS = ['glorot-normal', 'lecun-normal'] as const;

/** The swept size: `depth` is β (hidden layers), `width` is ℓ. */
export type MlpAxis = 'depth' | 'width';

/** The paper's minibatch size, for training and for the confusion pairs alike. */
const BATCH_SIZE = 128;

/**
 * How confusion is measured. At the end of training: the paper's statistic (Sankararaman et al. (2020), appendix A.1), the
 * smallest cosine over `endPairs` pairs of minibatch gradients of the training batch size. At
 * initialization: the check of Theorem 4.1 of Sankararaman et al. (2020), which bounds per-example gradients, so the
 * smallest cosine over all pairs of `initExamples` fixed training examples' gradients.
 */
export interface ConfusionProtocol {
  readonly initExamples: number;
  readonly endPairs: number;
}

export interface MlpSweepOptions {
  readonly axis: MlpAxis;
  readonly values: readonly number[];
  /** The other size, held fixed (the paper: width 100 for the depth sweep, depth 300 for the width sweep). */
  readonly fixed: number;
  /** `data` and any data keys of the run config. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly steps: number;
  /** A fixed learning rate, or the paper's rule (which then also sets the runs per rate). */
  readonly lr: number | LrSearch;
  /** Seeds per grid point with a fixed rate. */
  readonly seeds?: readonly number[];
  readonly confusion: ConfusionProtocol;
}

/** The record kinds of the two measurements, as the criteria and the report read them. */
export const INIT_CONFUSION = 'confusion';
export const END_CONFUSION = 'minibatch-confusion';

const otherAxis = (axis: MlpAxis): MlpAxis => (axis === 'depth' ? 'width' : 'depth');

/** Where the swept size sits in a run config. */
export const axisPath = (axis: MlpAxis): string => `archOptions.${axis}`;

/**
 * One sweep: the four families × the swept size. The confusion examples and minibatch pairs are
 * drawn from a fixed seed, so every network is measured on the same data and the trend is not
 * blurred by which examples each run happened to draw.
 */
export function mlpSweep(options: MlpSweepOptions): PresetSweep {
  const search = typeof options.lr === 'number' ? undefined : options.lr;
  return {
    base: {
      arch: 'mlp',
      archOptions: { [otherAxis(options.axis)]: options.fixed },
      ...options.data,
      loss: 'softmax-cross-entropy',
      batchSize: BATCH_SIZE,
      steps: options.steps,
      ...(typeof options.lr === 'number' ? { lr: options.lr } : {}),
      logEvery: Math.max(1, Math.floor(options.steps / 20)),
      // Theorem 4.1's per-example check at initialization only; the paper's minibatch pairs at the end only (figs. 5 and 6).
      // The pairs' gradients in batched passes: a deep narrow MLP's backward pass is kernel launches, which a pass shares.
      metrics: [
        { name: INIT_CONFUSION, n: options.confusion.initExamples, start: true, end: false, seed: 0 },
        { name: END_CONFUSION, pairs: options.confusion.endPairs, batchSize: BATCH_SIZE, start: false, end: true, seed: 0, method: 'batched' },
      ],
    },
    grid: { 'archOptions.activation': [...MLP_ACTIVATIONS], 'archOptions.init': [...MLP_INITS], [axisPath(options.axis)]: [...options.values] },
    seeds: [...(options.seeds ?? [0])],
    ...(search !== undefined ? { lrSearch: search } : {}),
  };
}

/**
 * The paper's rule on two cores: three runs per rate over a grid of two decades, at least two
 * completing (the paper: 10 runs, at least 8), lowest mean final training loss. Three runs are the
 * fewest that give the criteria a seed-to-seed standard error. Which two decades depends on the
 * depth: `grid` is the preset's, and `why` says in its scaled-down text how it was chosen.
 */
export interface LaptopLrSearch {
  readonly grid: readonly [number, number];
  readonly why: string;
}
const LAPTOP_RUNS_PER_RATE = 3;
const LAPTOP_MIN_COMPLETED = 2;

export function laptopLrSearch(choice: LaptopLrSearch): LrSearch {
  return { rule: 'sankararaman-a1', grid: [...choice.grid], runs: LAPTOP_RUNS_PER_RATE, minCompleted: LAPTOP_MIN_COMPLETED };
}
export function laptopLrSearchText(choice: LaptopLrSearch): string {
  return `the paper’s rule (lowest mean final training loss) over lr {${choice.grid.join(', ')}} with ${LAPTOP_RUNS_PER_RATE} runs per rate, at least ${LAPTOP_MIN_COMPLETED} completing, instead of 10 runs over {1, …, 1e-6} with at least 8 (${choice.why})`;
}

/**
 * Cells train in replica groups of this many (`Preset.replicas`): a deep narrow MLP's step is
 * kernel launches, which a group shares, and c3's laptop sweep took 667 s in groups on an idle
 * machine, where solo it would not fit the budget. Six is half of the twelve runs (two inits × two
 * rates × three seeds) that share a shape, so the two lanes of `--jobs 2` both stay busy. A fixed
 * number rather than `auto`, which sizes groups by `--jobs`: on node a replica's digits depend on
 * its group's size, and at depth 100 and lr 0.01 training is chaotic enough to turn digits into
 * other outcomes. c3's laptop sweep solo and in groups: 22 of 72 runs ended elsewhere, all at
 * lr 0.01 (every run at 0.001 agreed to 5 digits), and the rule picked another rate at 1 of 12
 * points. Both are samples of the same seeds' spread, which the noise margins judge.
 */
export const LAPTOP_REPLICAS = 6;

/** The paper's confusion protocol (Sankararaman et al. (2020), appendix A.1): 1000 pairs of minibatches of the training batch size at the end. */
export const PAPER_CONFUSION: ConfusionProtocol = { initExamples: 100, endPairs: 1000 };
/** Laptop: 200 pairs, the fewest whose minimum still reaches the lower tail the paper's 1000 sample. */
export const LAPTOP_CONFUSION: ConfusionProtocol = { initExamples: 100, endPairs: 200 };

/** MNIST's classes: the chance loss is ln 10. */
const CLASSES = 10;

/** What the protocol tables and the scaled-down texts say about the confusion measurement. */
export function confusionText(c: ConfusionProtocol): string {
  return `min cosine at the end of training over ${c.endPairs} pairs of minibatch gradients of ${BATCH_SIZE} (the paper: 1000); at initialization, as the check of Theorem 4.1, over all pairs of ${c.initExamples} fixed examples' gradients`;
}

const minCosAtInit = (c: CellResult) => firstValue(c, INIT_CONFUSION, 'minCos');
const minCosAtEnd = (c: CellResult) => lastValue(c, END_CONFUSION, 'minCos');
const finalTrainLoss = (c: CellResult) => c.summary?.finalTrainLoss ?? undefined;

export interface MlpCriteriaOptions {
  readonly axis: MlpAxis;
  /** How the min cosine moves as the size grows: `falls` with depth (more confusion), `rises` with width. */
  readonly cosine: 'rises' | 'falls';
  /**
   * Why the end-of-training quantities are only reported at this scale (e.g. a few steps at a
   * fixed rate are not the end of training); absent: they are judged.
   */
  readonly trainingNotJudged?: string;
}

/**
 * One criterion per family and quantity: the trend against the swept size of the min cosine at
 * initialization (Theorem 4.1's per-example check), of the paper's min cosine over minibatch pairs
 * at the end of training, and of the final training loss (which moves against the cosine: deeper
 * trains worse, wider better). Each is judged by its slope against log size with a noise margin
 * over seeds (noise-margin.ts). Per family rather than pooled, because the paper claims the trend
 * in each of its four panels, and the families' cosines sit at different levels. With a searched
 * learning rate only the runs at the rate the rule picked count, as in the paper's figures. Runs
 * that did not train (final loss near chance) are left out of the end-of-training cosine, whose
 * "end of training" would be their start, and counted; the loss trend keeps them, since a net
 * that cannot train is what the claim predicts for it.
 */
export function mlpCriteria(results: PresetResults, key: string, options: MlpCriteriaOptions): CriterionResult[] {
  const sweep = sweepOf(results, key);
  const cells = atPickedRates(sweep);
  const path = axisPath(options.axis);
  const symbol = options.axis === 'depth' ? 'β' : 'ℓ';
  const loss = options.cosine === 'falls' ? 'rises' : 'falls';
  // The report's swept-statistic figures, `<statistic>-vs-<last segment of the swept path>`.
  const figure = (stat: string) => `${stat}-vs-${options.axis}`;
  const out: CriterionResult[] = [];
  for (const activation of MLP_ACTIVATIONS) {
    for (const init of MLP_INITS) {
      const family = cells.filter((c) => settingOf(c, 'archOptions.activation') === activation && settingOf(c, 'archOptions.init') === init);
      const { trained, notTrained } = splitByTraining(family, CLASSES);
      const name = `${activation} / ${init}`;
      const judge = (what: string, direction: 'rises' | 'falls', from: readonly CellResult[], read: (c: CellResult) => number | undefined, stat: string, note?: string) =>
        seedTrendCriterion({ name: `${name}: ${what} ${direction} with ${options.axis} ${symbol}`, cells: from, path, read, direction, symbol, figure: figure(stat), ...(note !== undefined ? { note, notTrained } : {}) });
      out.push(judge('Theorem 4.1 check at initialization: min cosine over per-example gradients', options.cosine, family, minCosAtInit, 'min-cosine'));
      const untrained = `${notTrained.length} of ${family.length} runs not trained (final loss ≥ ${fmt(NOT_TRAINED_FRACTION * chanceLoss(CLASSES))}, near chance ln 10) left out`;
      const atEnd = judge('min cosine over minibatch-gradient pairs at the end of training', options.cosine, trained, minCosAtEnd, 'minibatch-min-cosine', untrained);
      const finalLoss = judge('final training loss', loss, family, finalTrainLoss, 'final-train-loss');
      for (const trainedCriterion of [atEnd, finalLoss]) {
        out.push(options.trainingNotJudged === undefined ? trainedCriterion : { ...trainedCriterion, name: `${trainedCriterion.name} (reported, not judged: ${options.trainingNotJudged})`, verdict: 'reported' });
      }
    }
  }
  if (sweep.lrPicks !== undefined) {
    const onEdge = sweep.lrPicks.filter((p) => p.onEdge).length;
    out.push({
      name: 'learning rates the rule picked per grid point (the paper’s grid never put the best rate on its edge)',
      verdict: 'reported',
      measured: sweep.lrPicks.map((p) => `${Object.values(p.point).join(' ')}: ${p.lr === null ? 'none eligible' : fmt(p.lr)}`).join('; ') + `; ${onEdge} of ${sweep.lrPicks.length} on the grid's edge`,
      expected: 'picks inside the grid',
    });
  }
  return out;
}
