import { ConfigError, UnknownNameError, type Dataset } from '@overparam/core';
import { z } from 'zod';
import { catalog, MAX_DATA_VALUES, type DataSetEntry } from './catalog';
import { flattenInputs } from './preprocess';
import { balancedSubset, selectExamples } from './split';

export type { DataSetEntry, DataSetSource } from './catalog';

export interface DataSetLoadOptions {
  /** Seeds the synthetic sets; real data sets ignore it. Default 0. */
  readonly seed?: number;
  /** Directory holding a file-based set's files (IDX, CIFAR batches). */
  readonly dataDir?: string;
  /** The file of the `csv` set. */
  readonly dataFile?: string;
  /** The data set's own options (see each entry's `options` schema) and the common ones. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** Options every data set takes, applied after loading. */
const commonOptions = {
  /** Keep only this many training examples: class-balanced for classification, the first ones for regression. */
  trainSubset: z.number().int().min(1).optional(),
  /** Present the inputs as flat vectors (for MLPs on image sets). */
  flatten: z.boolean().optional(),
};

export const dataSets: readonly DataSetEntry[] = catalog;
export const dataSetNames: readonly string[] = catalog.map((d) => d.name);

export function getDataSet(name: string): DataSetEntry {
  const entry = catalog.find((d) => d.name === name);
  if (entry === undefined) throw new UnknownNameError('DATA_UNKNOWN', 'data set', name, dataSetNames);
  return entry;
}

/** Whether a data set's targets are class labels or real values, without loading it. */
export function dataSetTask(name: string): Dataset['task'] {
  return getDataSet(name).task;
}

/**
 * Validates a data set's options and fills their defaults; a bad one is a ConfigError naming
 * `dataOptions.<key>`, so a run config fails before anything loads.
 */
export function parseDataOptions(name: string, options: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const schema = z.strictObject({ ...getDataSet(name).options.shape, ...commonOptions });
  const result = schema.safeParse(options);
  if (result.success) {
    checkSize(name, result.data);
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  // The key is repeated in the message: the CLI reports it under --data-option, not under its path.
  const key = path.map(String).join('.');
  const message =
    issue.code === 'unrecognized_keys' ? `'${key}' is not an option of data set '${name}'; it takes ${Object.keys(schema.shape).join(', ')}` : `${key}: ${issue.message}`;
  throw new ConfigError(['dataOptions', ...path.map(String)].join('.'), message);
}

/** A generated set whose options ask for more than `MAX_DATA_VALUES` float32 values is refused before anything is allocated. */
function checkSize(name: string, options: Record<string, unknown>): void {
  const size = getDataSet(name).size;
  if (size === undefined) return;
  const values = size.values(options);
  if (values <= MAX_DATA_VALUES) return;
  const asked = size.keys.map((k) => `${k} = ${String(options[k])}`).join(', ');
  throw new ConfigError(`dataOptions.${size.keys[0]!}`, `${asked} asks '${name}' for ${values.toExponential(2)} float32 values, more than the ${MAX_DATA_VALUES.toLocaleString('en-US')} (4 GiB) one data set holds`, `lower ${size.keys.join(' or ')}`);
}

/** Whether `name` can be loaded here with these paths, and if not, why and how to get it. */
export function dataSetAvailability(name: string, paths: Pick<DataSetLoadOptions, 'dataDir' | 'dataFile'> = {}): { available: boolean; reason?: string } {
  return getDataSet(name).availability(paths);
}

/**
 * File-based sets are read once per process and kept: a sweep asks for the same CIFAR arrays in
 * every run, and they are large. Keyed by everything that changes their contents.
 */
const cache = new Map<string, Dataset>();

/**
 * Loads a data set by name. Unknown names throw `DATA_UNKNOWN`; a set whose files are missing
 * throws `DATA_UNAVAILABLE` saying how to get it; a damaged file throws `DATA_CORRUPT`.
 */
export function loadDataSet(name: string, options: DataSetLoadOptions = {}): Dataset {
  const entry = getDataSet(name);
  const { trainSubset, flatten, ...own } = parseDataOptions(name, options.options) as { trainSubset?: number; flatten?: boolean } & Record<string, unknown>;
  const ctx = { seed: options.seed ?? 0, dataDir: options.dataDir, dataFile: options.dataFile, options: own };
  let data: Dataset;
  if (entry.source === 'files') {
    const key = JSON.stringify([name, ctx.dataDir ?? null, ctx.dataFile ?? null, own]);
    data = cache.get(key) ?? entry.load(ctx);
    cache.set(key, data);
  } else data = entry.load(ctx);
  // The entry's task decides the default loss before anything loads; a loader that disagrees is a bug here.
  if (data.task !== entry.task) throw new Error(`data set '${name}' is registered as a ${entry.task} task but loaded as ${data.task}`);
  if (trainSubset !== undefined) data = subsetTrain(data, trainSubset);
  return flatten === true ? flattenInputs(data) : data;
}

function subsetTrain(data: Dataset, size: number): Dataset {
  const exampleSize = data.inputShape.reduce((a, b) => a * b, 1);
  if (size > data.train.n) throw new ConfigError('dataOptions.trainSubset', `${size} exceeds the ${data.train.n} training examples of '${data.name}'`);
  const train =
    data.task === 'classification'
      ? balancedSubset(data.train, exampleSize, data.numClasses!, size, undefined, 'dataOptions.trainSubset')
      : selectExamples(data.train, exampleSize, Int32Array.from({ length: size }, (_, i) => i));
  return { ...data, train, description: `${data.description ?? data.name}; ${data.task === 'classification' ? 'class-balanced training subset' : 'the first training examples'}, ${size} of them` };
}
