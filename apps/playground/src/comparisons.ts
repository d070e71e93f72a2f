import type { RunConfigInput } from '@overparam/experiments';
import { defaultRun, type PlaygroundState } from './playground-state';

/** A comparison the papers make, as a ready playground state. */
export interface Comparison {
  readonly title: string;
  readonly state: PlaygroundState;
}

const withOptions = (base: RunConfigInput, archOptions: Record<string, unknown>): RunConfigInput => ({ ...base, archOptions: { ...base.archOptions, ...archOptions } });

const smallWrn: RunConfigInput = {
  arch: 'wrn',
  archOptions: { depth: 10, widthFactor: 1, batchNorm: true, skip: true },
  data: 'synthetic-images',
  dataOptions: { n: 1000, validationN: 0, testN: 200 },
  loss: 'softmax-cross-entropy',
  optimizer: { name: 'sgd' },
  lr: 0.05,
  batchSize: 64,
  steps: 100,
  seed: 0,
  backend: 'auto',
  logEvery: 5,
  // A conv net's minibatch gradients cost far more than an MLP's: fewer, smaller pairs and a smaller NTK batch.
  metrics: [
    { name: 'minibatch-confusion', every: 20, start: true, pairs: 5, batchSize: 16, values: true },
    { name: 'spectrum', every: 20, start: true, n: 8 },
    { name: 'weight-movement', every: 20, start: true },
  ],
};

const deepLinear: RunConfigInput = {
  arch: 'deep-linear',
  archOptions: { depth: 8, width: 40, init: 'orthogonal' },
  data: 'gaussian-regression',
  loss: 'square',
  optimizer: { name: 'sgd' },
  lr: 0.01,
  batchSize: 32,
  steps: 300,
  seed: 0,
  backend: 'auto',
  logEvery: 10,
  metrics: [
    { name: 'minibatch-confusion', every: 25, start: true, pairs: 20, batchSize: 16, values: true },
    { name: 'spectrum', every: 25, start: true, n: 32 },
    { name: 'weight-movement', every: 25, start: true },
  ],
};

/**
 * Sankararaman et al.: depth raises gradient confusion and slows training, and batch norm with
 * skip connections undoes it; Arora et al.: the initialization of a deep linear net decides
 * whether it trains.
 */
export const comparisons: readonly Comparison[] = [
  { title: 'MLP depth 3 against depth 30 (MNIST)', state: { runs: [withOptions(defaultRun, { depth: 3 }), withOptions(defaultRun, { depth: 30 })] } },
  { title: 'WRN-10-1: batch norm + skip on and off', state: { runs: [smallWrn, withOptions(smallWrn, { batchNorm: false, skip: false })] } },
  { title: 'Deep linear net: orthogonal against Gaussian (near-zero) init', state: { runs: [deepLinear, withOptions(deepLinear, { init: 'near-zero', initStd: 0.1 })] } },
];
