import { OPTIMAL_LOSS_RECORD } from '@overparam/metrics';
import { lrRules } from '../sweep/lr-search';
import { completed, groupBy, mean, numberField, recordsOf, settingOf } from './criteria';
import type { CellResult } from './preset';

/**
 * What Arora, Cohen & Hazan's linear-network presets (Arora et al. (2018), §8, appendix C.1) share: the data,
 * the initialization scale, the losses and the rate grid. The paper trains on the UCI gas-sensor
 * "Ethanol" task; laptop and smoke scales use the `lp-regression` stand-in, which has no file to fetch.
 */

/** Appendix C.1: every weight drawn i.i.d. from N(0, 0.01²). */
export const ARORA_INIT_STD = 0.01;

/** ℓ2 and ℓ4 regression, the two objectives of figs. 2–4. */
export const ARORA_EXPONENTS = [2, 4] as const;

/** The arora-c1 rate grid {1e-5, 5e-5, …, 1e-1, 5e-1}. */
export const ARORA_RATE_GRID: readonly number[] = lrRules['arora-c1'].grid;

/** A data set and its options, as a run config names them (a type alias, so it is also a plain record). */
export type AroraData = {
  readonly data: string;
  readonly dataOptions: Readonly<Record<string, unknown>>;
};

/** The stand-in (2,565 × 128 unless `dataOptions` shrink it), fixed across run seeds. */
export function standIn(dataOptions: Readonly<Record<string, unknown>> = {}): AroraData {
  return { data: 'lp-regression', dataOptions: { ...dataOptions } };
}

/** The paper's data: the gas-sensor Ethanol task; give the directory of batch1.dat … batch10.dat with `--set dataDir=DIR`. */
export const GAS_SENSOR_ETHANOL: AroraData = { data: 'gas-sensor', dataOptions: { gas: 'ethanol' } };

/** How the criteria name the loss of exponent p: ℓ2, ℓ4. */
export const lossLabelOf = (p: unknown): string => `ℓ${String(p)}`;

/** A depth-1 deep-linear run on ℓ_p loss, full batch; sweeps set the depth, init, optimizer and rate. */
export function aroraRegressionBase(data: AroraData, options: { steps: number; logEvery: number; p?: number }): Record<string, unknown> {
  return {
    arch: 'deep-linear',
    // Scalar hidden layers (the default width min(d, 1) = 1), no biases: appendix C.1.
    archOptions: { depth: 1, initStd: ARORA_INIT_STD },
    data: data.data,
    dataOptions: data.dataOptions,
    loss: 'lp',
    p: options.p ?? 4,
    batchSize: 'full',
    steps: options.steps,
    logEvery: options.logEvery,
  };
}

/**
 * How fast a run converged, as Arora et al. (2018) compare models (figs. 3–5: the loss on a log
 * axis against the step): the area under its log-loss curve, the mean of log₁₀ of its logged
 * training losses — of loss − optimum where the data's optimum is above 0 (the `optimal-loss`
 * record). Low when the loss gets low early; a slow start counts in full. Undefined for a run
 * that diverged or logged no loss.
 */
export function logLossArea(cell: CellResult, aboveOptimum = false): number | undefined {
  const optimum = aboveOptimum ? numberField(recordsOf(cell, OPTIMAL_LOSS_RECORD)[0], 'optimum') : 0;
  if (optimum === undefined) return undefined;
  const losses = recordsOf(cell, 'train').map((r) => numberField(r, 'loss'));
  if (losses.length === 0 || losses.some((l) => l === undefined)) return undefined;
  // float32 can put a converged loss a hair below the optimum computed in float64: floor the gap at the optimum's rounding.
  const floor = Math.max(Math.abs(optimum) * 1e-7, Number.MIN_VALUE);
  const gaps = losses.map((l) => l! - optimum);
  if (!aboveOptimum && gaps.some((g) => g <= 0)) return undefined;
  return mean(gaps.map((g) => Math.log10(Math.max(g, floor))));
}

/**
 * One model's runs at its learning rate: those at the rate the arora-c1 rule picked, or, when no
 * rate reached the target (`pickedLr` null), those at the rate with the lowest mean area under the
 * log-loss curve — still the model's best rate, and `fallback` says so.
 */
export function runsAtBestRate(cells: readonly CellResult[], pickedLr: number | null, aboveOptimum = false): { runs: CellResult[]; lr: number | undefined; fallback: boolean } {
  const done = completed(cells);
  if (pickedLr !== null) return { runs: done.filter((c) => settingOf(c, 'lr') === pickedLr), lr: pickedLr, fallback: false };
  let best: { lr: number; area: number } | undefined;
  for (const [lr, group] of groupBy(done, 'lr')) {
    const areas = group.flatMap((c) => logLossArea(c, aboveOptimum) ?? []);
    if (typeof lr === 'number' && areas.length > 0 && (best === undefined || mean(areas) < best.area)) best = { lr, area: mean(areas) };
  }
  return { runs: best === undefined ? [] : done.filter((c) => settingOf(c, 'lr') === best.lr), lr: best?.lr, fallback: best !== undefined };
}
