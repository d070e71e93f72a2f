import type { LrSearch } from '../lr-search';
import { atPickedRates, firstValue, fmt, lastValue, settingOf, sweepOf, trendCriterion } from './criteria';
import type { CellResult, CriterionResult, PresetResults, PresetSweep } from './preset';

/**
 * The MLP-β-ℓ experiments of seed 001, appendix A.1 (figs. 5 and 6), shared by the depth preset
 * (C2) and the width preset (C3): four families of networks (tanh or identity activations, each
 * under Glorot or LeCun normal initialization), one swept size, gradient confusion measured at
 * initialization and at the end of training, and the final training loss.
 */

/** The activations and initializers of seed 001, A.1; each pair is a family, one panel of figs. 5 and 6. */
export const MLP_ACTIVATIONS = ['tanh', 'identity'] as const;
export const MLP_INITS = ['glorot-normal', 'lecun-normal'] as const;

/** The swept size: `depth` is β (hidden layers), `width` is ℓ. */
export type MlpAxis = 'depth' | 'width';

/** How confusion is measured: per-example on `n` fixed training examples, or the paper's minibatch pairs. */
export type ConfusionProtocol = { readonly n: number } | { readonly pairs: number; readonly batchSize: number };

/** The paper's minibatch size, for training and for the confusion pairs alike. */
const BATCH_SIZE = 128;

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

const otherAxis = (axis: MlpAxis): MlpAxis => (axis === 'depth' ? 'width' : 'depth');

/** Where the swept size sits in a run config. */
export const axisPath = (axis: MlpAxis): string => `archOptions.${axis}`;

/**
 * One sweep: the four families × the swept size. The confusion examples (or minibatch pairs) are
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
      // `start` gives the measurement at initialization (Theorem 4.1), `end` the one after training (figs. 5 and 6).
      metrics: [{ name: 'confusion', ...options.confusion, start: true, end: true, seed: 0 }],
    },
    grid: { 'archOptions.activation': [...MLP_ACTIVATIONS], 'archOptions.init': [...MLP_INITS], [axisPath(options.axis)]: [...options.values] },
    seeds: [...(options.seeds ?? [0])],
    ...(search !== undefined ? { lrSearch: search } : {}),
  };
}

/**
 * The paper's rule on two cores: one run per rate over lr {0.1, 0.01}. A first laptop run also
 * tried lr 1, where no network trained (identity nets diverged, tanh nets ended at or far above
 * the chance loss ln 10 ≈ 2.3), and it was dropped to fit the time.
 */
export const LAPTOP_LR_SEARCH: LrSearch = { rule: 'sankararaman-a1', grid: [0.1, 0.01], runs: 1, minCompleted: 1 };
export const LAPTOP_LR_SEARCH_TEXT = 'the paper’s rule (lowest final training loss) over lr {0.1, 0.01} with one run per rate instead of 10 runs over {1, …, 1e-6} (lr 1 trained no network in a first run)';

/** The paper's confusion protocol (seed 001, A.1): 1000 pairs of minibatches of the training batch size. */
export const PAPER_CONFUSION: ConfusionProtocol = { pairs: 1000, batchSize: BATCH_SIZE };

const minCosAtInit = (c: CellResult) => firstValue(c, 'confusion', 'minCos');
const minCosAtEnd = (c: CellResult) => lastValue(c, 'confusion', 'minCos');
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
 * One criterion per family and quantity: Spearman's ρ against the swept size of the min cosine at
 * initialization, of the min cosine at the end of training, and of the final training loss (which
 * moves against the cosine: deeper trains worse, wider better). Per family rather than pooled,
 * because the paper claims the trend in each of its four panels, and the families' cosines sit at
 * different levels, so a pooled ρ could hide a family that goes the other way. With a searched
 * learning rate only the runs at the rate the rule picked count, as in the paper's figures.
 */
export function mlpCriteria(results: PresetResults, key: string, options: MlpCriteriaOptions): CriterionResult[] {
  const sweep = sweepOf(results, key);
  const cells = atPickedRates(sweep);
  const path = axisPath(options.axis);
  const symbol = options.axis === 'depth' ? 'β' : 'ℓ';
  const loss = options.cosine === 'falls' ? 'rises' : 'falls';
  const out: CriterionResult[] = [];
  for (const activation of MLP_ACTIVATIONS) {
    for (const init of MLP_INITS) {
      const family = cells.filter((c) => settingOf(c, 'archOptions.activation') === activation && settingOf(c, 'archOptions.init') === init);
      const name = `${activation} / ${init}`;
      const judge = (read: (c: CellResult) => number | undefined, what: string, direction: 'rises' | 'falls', label: string) =>
        trendCriterion({ name: `${name}: ${what} ${direction} with ${options.axis} ${symbol}`, cells: family, path, read, direction, label: `${label} at ${symbol} =` });
      out.push(judge(minCosAtInit, 'min gradient cosine at initialization', options.cosine, 'min cos'));
      for (const trained of [judge(minCosAtEnd, 'min gradient cosine at the end of training', options.cosine, 'min cos'), judge(finalTrainLoss, 'final training loss', loss, 'loss')]) {
        out.push(options.trainingNotJudged === undefined ? trained : { ...trained, name: `${trained.name} (reported, not judged: ${options.trainingNotJudged})`, verdict: 'reported' });
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
