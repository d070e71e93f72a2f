/**
 * What Arora, Cohen & Hazan's linear-network presets (seed 003 §8, appendix C.1) share: the data,
 * the initialization scale and the losses. The paper trains on the UCI gas-sensor "Ethanol" task;
 * laptop and smoke scales use the `lp-regression` stand-in, which has no file to fetch.
 */

/** Appendix C.1: every weight drawn i.i.d. from N(0, 0.01²). */
export const ARORA_INIT_STD = 0.01;

/** ℓ2 and ℓ4 regression, the two objectives of figs. 2–4. */
export const ARORA_EXPONENTS = [2, 4] as const;

/** The paper's data: give the directory of batch1.dat … batch10.dat with `--set dataDir=…`. */
export const GAS_SENSOR_ETHANOL: Readonly<Record<string, unknown>> = { data: 'gas-sensor', dataOptions: { gas: 'ethanol' } };

/** The stand-in (2,565 × 128 unless `options` shrink it), fixed across run seeds. */
export function lpRegressionStandIn(options: Readonly<Record<string, unknown>> = {}): Readonly<Record<string, unknown>> {
  return { data: 'lp-regression', dataOptions: { ...options } };
}

/** How the criteria name the loss of exponent p: ℓ2, ℓ4. */
export const lossLabelOf = (p: unknown): string => `ℓ${String(p)}`;
