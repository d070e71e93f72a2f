import { lrRules } from '../lr-search';

/**
 * The setup Arora et al.'s linear-network figures share (seed 003 §8, appendix C.1): ℓ_p
 * regression by full-batch training of a bias-free linear net with scalar hidden layers, weights
 * drawn with std 0.01, rates from the arora-c1 grid {1e-5, 5e-5, …, 1e-1, 5e-1}. Below paper scale
 * the data are the `lp-regression` stand-in for the UCI gas-sensor Ethanol task.
 */
export const ARORA_RATE_GRID: readonly number[] = lrRules['arora-c1'].grid;

export interface AroraData {
  readonly data: string;
  readonly dataOptions: Readonly<Record<string, unknown>>;
}

/** The stand-in (2,565 × 128 by default; smaller with `dataOptions`). */
export function standIn(dataOptions: Readonly<Record<string, unknown>> = {}): AroraData {
  return { data: 'lp-regression', dataOptions };
}

/** The paper's data: the gas-sensor Ethanol task, read from `--set dataDir=DIR`. */
export const GAS_SENSOR_ETHANOL: AroraData = { data: 'gas-sensor', dataOptions: { gas: 'ethanol' } };

/** A depth-1 deep-linear run on ℓ_p loss; sweeps set the depth, init, optimizer and rate. */
export function aroraRegressionBase(data: AroraData, options: { steps: number; logEvery: number; p?: number }): Record<string, unknown> {
  return {
    arch: 'deep-linear',
    // Scalar hidden layers (the default width min(d, 1) = 1), no biases, std 0.01: appendix C.1.
    archOptions: { depth: 1, initStd: 0.01 },
    data: data.data,
    dataOptions: data.dataOptions,
    loss: 'lp',
    p: options.p ?? 4,
    batchSize: 'full',
    steps: options.steps,
    logEvery: options.logEvery,
  };
}
