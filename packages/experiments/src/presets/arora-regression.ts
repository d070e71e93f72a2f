import { lrRules } from '../sweep/lr-search';

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
