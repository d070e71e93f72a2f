/**
 * The MLP training workload of the `mlp-train` suites, in Node (`mlp.ts`) and in the browser
 * (`browser/`): batch 128, 784 inputs, 10 classes, tanh, Glorot normal, softmax cross-entropy,
 * plain SGD at 0.01, on random inputs and labels held in memory. Free of Node APIs so that the
 * browser page can bundle it.
 */
import { buildModel } from '@overparam/architectures';
import { train, type Dataset, type Model } from '@overparam/core';
import { syntheticClassification } from './synthetic';

export const BATCH = 128;
export const INPUT_DIM = 784;
export const CLASSES = 10;
export const LR = 0.01;

let dataset: Dataset | undefined;
export function benchData(): Dataset {
  dataset ??= syntheticClassification(16 * BATCH, INPUT_DIM, CLASSES);
  return dataset;
}

export function benchMlp(depth: number, width: number, seed = 0): Model {
  return buildModel('mlp', { depth, width, inputDim: INPUT_DIM, outputDim: CLASSES, activation: 'tanh', init: 'glorot-normal' }, seed);
}

/** The parameters every line of an MLP measurement carries. */
export function mlpParameters(depth: number, width: number) {
  return {
    model: `MLP-${depth}-${width}`,
    depth,
    width,
    batchSize: BATCH,
    inputDim: INPUT_DIM,
    numClasses: CLASSES,
    activation: 'tanh',
    init: 'glorot-normal',
    loss: 'softmax-cross-entropy',
    optimizer: 'sgd',
    lr: LR,
  };
}

/** `readLossEvery`: how often the loop reads the losses back (the loop's default unless given; 1 is every step). */
export async function trainSteps(model: Model, data: Dataset, steps: number, readLossEvery?: number): Promise<void> {
  // `train` reads the last step's loss back, so the work is finished when it resolves.
  const result = await train(model, data, {
    steps,
    batchSize: BATCH,
    loss: 'softmax-cross-entropy',
    schedule: { kind: 'constant', lr: LR },
    seed: 0,
    logEvery: steps,
    ...(readLossEvery === undefined ? {} : { readLossEvery }),
  });
  if (result.steps !== steps) throw new Error(`train stopped after ${result.steps} of ${steps} steps (${result.outcome})`);
}
