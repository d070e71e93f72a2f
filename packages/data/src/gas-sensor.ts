import type { Dataset } from '@overparam/core';
import { DataCorruptError, DataUnavailableError } from './errors';
import { findFile, isDirectory, nodeBuiltins, readText } from './node-io';
import { channelStats, standardizeChannels } from './preprocess';

/**
 * The UCI "Gas Sensor Array Drift Dataset at Different Concentrations" (Vergara et al. 2012;
 * Rodriguez-Lujan et al. 2014): 13,910 recordings of a 16-sensor array, 8 features per sensor,
 * in ten files batch1.dat … batch10.dat. Each line is `class;concentration 1:v1 2:v2 … 128:v128`
 * (libsvm-style sparse pairs, all 128 present). Arora et al. (2018), §8 regresses the concentration of the
 * Ethanol recordings (class 1, 2,565 of them) on the 128 features.
 */
export const GAS_SENSOR_FEATURES = 128;
export const GAS_SENSOR_BATCHES = 10;
/** The classes in the order the files number them (1-based). */
export const gasNames = ['ethanol', 'ethylene', 'ammonia', 'acetaldehyde', 'acetone', 'toluene'] as const;
export type GasName = (typeof gasNames)[number];

const batchFile = (b: number): string => `batch${b}.dat`;

export const GAS_SENSOR_HOW_TO =
  'Download "Gas Sensor Array Drift Dataset at Different Concentrations" from the UCI Machine Learning Repository (dataset 270), unzip it and pass the folder holding batch1.dat … batch10.dat (or its parent, with a Dataset/ sub-folder) with --data-dir';

export interface GasSensorRecords {
  readonly n: number;
  /** Row-major [n, 128]. */
  readonly x: Float32Array;
  /** Concentration (ppm) of each recording. */
  readonly concentration: Float32Array;
  /** Class (1 … 6) of each recording. */
  readonly gas: Int32Array;
}

/**
 * Parses one batch file, checking every line: a class in 1 … 6, a finite non-negative
 * concentration, and each of the 128 features exactly once with a finite value. A problem is a
 * DataCorruptError naming the file, the line and (for a feature) the 1-based field.
 */
export function parseGasSensorBatch(text: string, file: string): GasSensorRecords {
  const lines = text.split(/\r?\n/);
  const rows: Array<{ gas: number; concentration: number; features: Float64Array }> = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = { line: index + 1 };
    const fields = line.split(/\s+/);
    const head = fields[0]!;
    const semicolon = head.indexOf(';');
    if (semicolon < 0) throw new DataCorruptError(file, where, `'${head.slice(0, 40)}' is not 'class;concentration'; expected lines like '1;10.000000 1:15596.16 2:1.868 … 128:-1.29'`);
    const gas = Number(head.slice(0, semicolon));
    const concentration = Number(head.slice(semicolon + 1));
    if (!Number.isInteger(gas) || gas < 1 || gas > gasNames.length) throw new DataCorruptError(file, where, `class '${head.slice(0, semicolon)}' is not one of 1 … ${gasNames.length}`);
    if (head.slice(semicolon + 1) === '' || !Number.isFinite(concentration) || concentration < 0) {
      throw new DataCorruptError(file, where, `concentration '${head.slice(semicolon + 1)}' is not a finite non-negative number`);
    }
    const features = new Float64Array(GAS_SENSOR_FEATURES).fill(Number.NaN);
    for (let f = 1; f < fields.length; f++) {
      const pair = fields[f]!;
      const colon = pair.indexOf(':');
      const idx = Number(pair.slice(0, colon));
      const value = Number(pair.slice(colon + 1));
      const at = { line: index + 1, column: f + 1 };
      if (colon < 0 || !Number.isInteger(idx) || idx < 1 || idx > GAS_SENSOR_FEATURES) {
        throw new DataCorruptError(file, at, `'${pair.slice(0, 40)}' is not 'index:value' with an index in 1 … ${GAS_SENSOR_FEATURES}`);
      }
      if (pair.slice(colon + 1) === '' || !Number.isFinite(value)) throw new DataCorruptError(file, at, `feature ${idx} has value '${pair.slice(colon + 1, colon + 41)}', not a finite number`);
      if (!Number.isNaN(features[idx - 1]!)) throw new DataCorruptError(file, at, `feature ${idx} appears twice`);
      features[idx - 1] = value;
    }
    const missing = features.findIndex((v) => Number.isNaN(v));
    if (missing >= 0) throw new DataCorruptError(file, where, `feature ${missing + 1} is missing; every line has all ${GAS_SENSOR_FEATURES} features`);
    rows.push({ gas, concentration, features });
  });
  if (rows.length === 0) throw new DataCorruptError(file, { whole: true }, 'no records; expected one recording per line');
  const x = new Float32Array(rows.length * GAS_SENSOR_FEATURES);
  rows.forEach((r, i) => x.set(r.features, i * GAS_SENSOR_FEATURES));
  return {
    n: rows.length,
    x,
    concentration: Float32Array.from(rows, (r) => r.concentration),
    gas: Int32Array.from(rows, (r) => r.gas),
  };
}

/** batch1.dat … batch10.dat under `dir` or `dir/Dataset` (the archive's folder), or why not. */
export function locateGasSensor(dir: string | undefined, batches: readonly number[] = allBatches()): { files: string[] } | { missing: string } {
  if (dir === undefined) return { missing: 'no --data-dir given' };
  const { path } = nodeBuiltins('finding the gas-sensor files');
  const roots = [dir, path.join(dir, 'Dataset')].filter(isDirectory);
  if (roots.length === 0) return { missing: `${dir} is not a directory` };
  for (const root of roots) {
    const files = batches.map((b) => findFile(root, [batchFile(b)]));
    if (files.every((f) => f !== undefined)) return { files: files as string[] };
  }
  return { missing: `neither ${dir} nor ${path.join(dir, 'Dataset')} holds ${batches.map(batchFile).join(', ')}` };
}

export function allBatches(): number[] {
  return Array.from({ length: GAS_SENSOR_BATCHES }, (_, i) => i + 1);
}

export interface GasSensorOptions {
  /** Which gas's recordings to keep; default `ethanol` (Arora et al.'s (2018) task). */
  readonly gas?: GasName;
  /** Which batch files to read (1 … 10); default all. */
  readonly batches?: readonly number[];
  /** Standardize each feature to mean 0, std 1 over the kept recordings. Default true. */
  readonly standardize?: boolean;
}

/**
 * One gas's recordings as a regression set: the 128 features (standardized) → the concentration.
 * All recordings are training data, as in Arora et al.'s (2018) optimization experiments.
 */
export function loadGasSensor(dataDir: string | undefined, options: GasSensorOptions = {}): Dataset {
  const gas = options.gas ?? 'ethanol';
  const batches = options.batches ?? allBatches();
  const located = locateGasSensor(dataDir, batches);
  if ('missing' in located) throw new DataUnavailableError('gas-sensor', located.missing, GAS_SENSOR_HOW_TO);
  const classId = gasNames.indexOf(gas) + 1;
  const parts = located.files.map((f) => parseGasSensorBatch(readText(f), f));
  const n = parts.reduce((s, p) => s + p.gas.filter((g) => g === classId).length, 0);
  if (n === 0) throw new DataUnavailableError('gas-sensor', `batches ${batches.join(', ')} hold no ${gas} recordings (class ${classId})`, GAS_SENSOR_HOW_TO);
  const x = new Float32Array(n * GAS_SENSOR_FEATURES);
  const y = new Float32Array(n);
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.n; i++) {
      if (p.gas[i] !== classId) continue;
      x.set(p.x.subarray(i * GAS_SENSOR_FEATURES, (i + 1) * GAS_SENSOR_FEATURES), at * GAS_SENSOR_FEATURES);
      y[at] = p.concentration[i]!;
      at++;
    }
  }
  const data: Dataset = {
    name: 'gas-sensor',
    inputShape: [GAS_SENSOR_FEATURES],
    task: 'regression',
    targetDim: 1,
    train: { x, y, n },
    description: `UCI gas-sensor drift at different concentrations: ${n} ${gas} recordings × ${GAS_SENSOR_FEATURES} features → concentration (ppm), batches ${batches.join(', ')}`,
  };
  // Per feature: the 128 features are the "channels" of a flat input.
  return options.standardize === false ? data : standardizeChannels(data, channelStats(data.train, GAS_SENSOR_FEATURES));
}
