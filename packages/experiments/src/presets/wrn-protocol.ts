import { standardDeviation } from 'simple-statistics';
import { lastValue, recordsOf } from './criteria';
import type { CellResult, PresetScale, PresetSweep } from './preset';

/**
 * How Sankararaman et al. (2020), §7 and Sankararaman et al. (2020), appendix A.2 train and measure their CNN-β-ℓ and WRN-β-ℓ (used by the depth
 * and width preset, C4, and the batch-norm and skip preset, C5), at each scale, and what their
 * criteria read from a run.
 */

/** Fashion-MNIST below paper scale (Debian's dataset-fashion-mnist), CIFAR-10 and CIFAR-100 at it. */
export type ImageDataName = 'fashion-mnist' | 'cifar10' | 'cifar100';

export interface WrnProtocol {
  readonly data: ImageDataName;
  readonly dataOptions: Readonly<Record<string, unknown>>;
  /** Also run every sweep on this second data set (the paper's CIFAR-100 figures), keys suffixed with its name. */
  readonly alsoOn?: ImageDataName;
  readonly augment?: 'wrn';
  readonly steps: number;
  readonly batchSize: number;
  /** Where the rate drops ×0.1: epochs 80 and 160 of 200 in the paper, the same fractions of training below it. */
  readonly milestones: readonly number[];
  readonly milestoneUnit: 'step' | 'epoch';
  /** A fixed rate, or the paper's search (Sankararaman et al. (2020), appendix A.2). */
  readonly lr: number | { readonly grid: readonly number[]; readonly runs: number; readonly minCompleted: number };
  readonly seeds: readonly number[];
  /** Minibatch pairs for the cosines and their size; a measurement every this many epochs (absent: at the end only). */
  readonly pairs: number;
  readonly pairBatchSize: number;
  readonly measureEveryEpochs?: number;
  readonly logEvery: number;
}

/** 200 epochs of the papers' 40,000 training images in minibatches of 128. */
const PAPER_STEPS = 200 * Math.floor(40_000 / 128);

export const WRN_PROTOCOLS: Readonly<Record<PresetScale, WrnProtocol>> = {
  // 7×7 images, ten steps: checks the plumbing in seconds.
  smoke: {
    data: 'fashion-mnist',
    dataOptions: { trainSize: 256, validationSize: 0, testSize: 100, downscale: 4 },
    steps: 10,
    batchSize: 32,
    milestones: [4, 8],
    milestoneUnit: 'step',
    lr: 0.01,
    seeds: [0],
    pairs: 20,
    pairBatchSize: 16,
    logEvery: 5,
  },
  // Near the end of training on the subset (600 steps of 32 are 37 epochs of 512 images; the
  // former 150 steps of 64 left every net at 0.99–2.02 against chance 2.30), three seeds for the
  // noise margins, each model's rate by the paper's rule over two rates. Measured on the node
  // backend, 60 steps of WRN-10-1 at batch 64 took 13.3 s of CPU at 14×14 and 8.8 s at 7×7, about
  // 5 s of each being start-up: a step at 7×7 costs under half of one at 14×14; hence 7×7 and 32.
  laptop: {
    data: 'fashion-mnist',
    dataOptions: { trainSize: 512, validationSize: 0, testSize: 500, downscale: 4 },
    steps: 600,
    batchSize: 32,
    milestones: [240, 480],
    milestoneUnit: 'step',
    lr: { grid: [0.05, 0.01], runs: 3, minCompleted: 2 },
    seeds: [0],
    pairs: 40,
    pairBatchSize: 32,
    logEvery: 50,
  },
  paper: {
    data: 'cifar10',
    dataOptions: {},
    alsoOn: 'cifar100',
    augment: 'wrn',
    steps: PAPER_STEPS,
    batchSize: 128,
    milestones: [80, 160],
    milestoneUnit: 'epoch',
    lr: { grid: [10, 3, 1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5], runs: 5, minCompleted: 4 },
    seeds: [0],
    pairs: 100,
    pairBatchSize: 128,
    measureEveryEpochs: 1,
    logEvery: 100,
  },
};

/** A protocol's rate in words: the fixed rate, or the rule's grid and runs. */
function rateText(p: WrnProtocol): string {
  return typeof p.lr === 'number'
    ? `one rate, ${p.lr}, instead of the grid search, ${p.seeds.length} seed${p.seeds.length === 1 ? '' : 's'} instead of 5`
    : `each model's rate by the paper's rule (lowest mean final training loss) over {${p.lr.grid.join(', ')}} with ${p.lr.runs} runs per rate, at least ${p.lr.minCompleted} completing, instead of 12 rates with 5 runs, at least 4`;
}

/** What the laptop and smoke scales leave out of the paper's training and measurement, in words. */
export function protocolScaledDown(scale: PresetScale, p: WrnProtocol = WRN_PROTOCOLS[scale]): string {
  if (scale === 'paper') {
    return 'CIFAR-10 and CIFAR-100 (pass their directory with --set dataDir=DIR; DIR may hold both cifar-10-batches-bin and cifar-100-binary), the papers’ 40,000/10,000/10,000 split and the WRN preprocessing (standardized, pad-crop-flip augmentation); 200 epochs of SGD (batch 128, no momentum, no weight decay) with the rate ÷10 at epochs 80 and 160; the initial rate searched over Sankararaman et al. (2020, appendix)’s grid of 12, 5 runs each, at least 4 completing, lowest mean final training loss; 100 minibatch pairs of 128 after every epoch. Not modelled: discarding runs that never lower their loss';
  }
  const o = p.dataOptions as { trainSize: number; testSize: number; downscale: number };
  const side = 28 / o.downscale;
  return `Fashion-MNIST (Debian's dataset-fashion-mnist) instead of CIFAR, downscaled to ${side}×${side} by ${o.downscale}×${o.downscale} averages, ${o.trainSize} training and ${o.testSize} test images; ${p.steps} SGD steps of ${p.batchSize} (not 200 epochs of 128), ÷10 at steps ${p.milestones.join(' and ')} (the paper's 40 % and 80 % of training); ${rateText(p)}; ${p.pairs} minibatch pairs of ${p.pairBatchSize} at the end, not 100 of 128 after every epoch`;
}

/** A sweep of `arch` on one data set under protocol `p`; the grid sets the architecture's swept options. */
export function wrnSweep(p: WrnProtocol, data: ImageDataName, arch: 'cnn' | 'wrn', archOptions: Readonly<Record<string, unknown>>, grid: Readonly<Record<string, readonly unknown[]>>): PresetSweep {
  return {
    base: {
      arch,
      // Sankararaman et al. (2020), appendix A.2: no dropout; biases on every conv when batch norm is off (the builder's rule).
      archOptions: { dropout: 0, ...archOptions },
      data,
      dataOptions: p.dataOptions,
      ...(p.augment !== undefined ? { augment: p.augment } : {}),
      loss: 'softmax-cross-entropy',
      optimizer: { name: 'sgd' },
      batchSize: p.batchSize,
      steps: p.steps,
      ...(typeof p.lr === 'number' ? { lr: p.lr } : {}),
      schedule: { kind: 'step', factor: 0.1, milestones: [...p.milestones], unit: p.milestoneUnit },
      logEvery: p.logEvery,
      metrics: [{ name: 'minibatch-confusion', pairs: p.pairs, batchSize: p.pairBatchSize, values: true, ...(p.measureEveryEpochs !== undefined ? { epochs: p.measureEveryEpochs } : {}) }],
    },
    grid: Object.fromEntries(Object.entries(grid).map(([k, v]) => [k, [...v]])),
    seeds: [...p.seeds],
    ...(typeof p.lr === 'number' ? {} : { lrSearch: { rule: 'sankararaman-a1', grid: [...p.lr.grid], runs: p.lr.runs, minCompleted: p.lr.minCompleted } }),
  };
}

/** Each data set's classes (its chance loss is ln of it). */
export const IMAGE_CLASSES: Readonly<Record<ImageDataName, number>> = { 'fashion-mnist': 10, cifar10: 10, cifar100: 100 };

/** The data sets a protocol runs on, each with the suffix its sweep keys get (none for the first). */
export function protocolDataSets(p: WrnProtocol): Array<{ data: ImageDataName; suffix: string }> {
  return [{ data: p.data, suffix: '' }, ...(p.alsoOn !== undefined ? [{ data: p.alsoOn, suffix: `-${p.alsoOn}` }] : [])];
}

/** The smallest cosine over the minibatch pairs of the last measurement (the paper's panel b). */
export const minCos = (cell: CellResult): number | undefined => lastValue(cell, 'minibatch-confusion', 'minCos');

/** The loss on the whole training split after the last step (the paper's panel a, at its end). */
export function finalLoss(cell: CellResult): number | undefined {
  const loss = cell.summary?.finalTrainLoss;
  return typeof loss === 'number' && Number.isFinite(loss) ? loss : undefined;
}

/** Every pair's cosine at the last measurement (written with the metric's `values: true`). */
export function cosineValues(cell: CellResult): number[] {
  const values = recordsOf(cell, 'minibatch-confusion').at(-1)?.['cosineValues'];
  return Array.isArray(values) ? values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)) : [];
}

/** The standard deviation of the last measurement's cosines: how wide the paper's KDE (panel c) is. */
export function cosineSpread(cell: CellResult): number | undefined {
  const values = cosineValues(cell);
  return values.length >= 2 ? standardDeviation(values) : undefined;
}
