/**
 * Suite `wrn-train`: training steps per second of CNN-16-2 (no batch norm, no skip connections:
 * the paper's plain CNN-β-ℓ) and WRN-16-2 (batch norm and skip connections) on 32×32×3 inputs,
 * batch 128, 10 classes, softmax cross-entropy, plain SGD at lr 0.01, with core's `train()` on
 * random images held in memory.
 *
 * One step is heavy: 5–9 s on wasm here, and on the cpu backend (whose conv2d is a plain JS loop,
 * ~0.2 GMAC/s) 33 s at batch 16, so ~4 min at 128. A repetition is therefore a single step; on cpu
 * the full run times one cold step per model, and `--quick` skips cpu with a line saying so.
 */
import { buildModel } from '@overparam/architectures';
import { tf, train, type Dataset, type Model } from '@overparam/core';
import { emitError, emitMeasurement, emitSkipped, log } from './emit';
import { calibrateSteps, measureRate, type Summary } from './measure';
import type { Suite, SuiteContext } from './suite';
import { randomInputs, randomLabels } from './synthetic';

const SUITE = 'wrn-train';
const BATCH = 128;
const INPUT_SHAPE = [32, 32, 3];
const CLASSES = 10;
const LR = 0.01;

export const wrnShapes: ReadonlyArray<{ arch: 'cnn' | 'wrn'; depth: number; widthFactor: number; batchNorm: boolean }> = [
  { arch: 'cnn', depth: 16, widthFactor: 2, batchNorm: false },
  { arch: 'wrn', depth: 16, widthFactor: 2, batchNorm: true },
];

let dataset: Dataset | undefined;
function benchData(): Dataset {
  const n = 2 * BATCH;
  dataset ??= {
    name: `synthetic-${n}x32x32x3`,
    inputShape: INPUT_SHAPE,
    task: 'classification',
    numClasses: CLASSES,
    train: { x: randomInputs(n * 32 * 32 * 3, 3), y: randomLabels(n, CLASSES, 4), n },
    description: 'random images and labels for benchmarks',
  };
  return dataset;
}

async function trainSteps(model: Model, steps: number): Promise<void> {
  const result = await train(model, benchData(), { steps, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: LR }, seed: 0, logEvery: steps });
  if (result.steps !== steps) throw new Error(`train stopped after ${result.steps} of ${steps} steps (${result.outcome})`);
}

/** cpu: one timed cold step; elsewhere the usual calibration (which lands on one step) and repetitions. */
async function rate(model: Model, context: SuiteContext): Promise<Summary & { steps: number; note: string | null }> {
  const run = (steps: number) => trainSteps(model, steps);
  if (context.backend === 'cpu') {
    return { ...(await measureRate(run, 1, 1, 0)), steps: 1, note: 'cpu: a single cold step (kernel set-up included), one repetition' };
  }
  const { steps } = await calibrateSteps(run, context.settings);
  const summary = await measureRate(run, steps, context.settings.reps, 0);
  return { ...summary, steps, note: steps < 10 ? `small K: ${steps} step${steps === 1 ? '' : 's'} per repetition, so per-call overhead is included` : null };
}

export const wrnTrainSuite: Suite = {
  name: SUITE,
  description: 'CNN-16-2 and WRN-16-2 training steps/s on 32×32×3 inputs, batch 128',
  async run(context) {
    if (context.backend === 'cpu' && context.settings.quick) {
      emitSkipped(SUITE, context.backend, 'one WRN-16-2 step at batch 128 takes minutes on cpu (33 s at batch 16); run without --quick to time one step per model');
      log(`${SUITE} on cpu: skipped under --quick`);
      return;
    }
    for (const shape of wrnShapes) {
      const skip = shape.arch === 'wrn';
      const parameters = {
        model: `${skip ? 'WRN' : 'CNN'}-${shape.depth}-${shape.widthFactor}`,
        arch: shape.arch,
        depth: shape.depth,
        widthFactor: shape.widthFactor,
        batchNorm: shape.batchNorm,
        skip,
        batchSize: BATCH,
        inputShape: INPUT_SHAPE,
        numClasses: CLASSES,
        init: 'he-normal',
        loss: 'softmax-cross-entropy',
        optimizer: 'sgd',
        lr: LR,
      };
      log(`${SUITE} ${parameters.model} on ${context.backend}: overparam train()`);
      const model = buildModel(shape.arch, { depth: shape.depth, widthFactor: shape.widthFactor, batchNorm: shape.batchNorm, inputShape: INPUT_SHAPE, classes: CLASSES }, 0);
      try {
        const numTensorsBefore = tf.memory().numTensors;
        const { steps, note, ...summary } = await rate(model, context);
        emitMeasurement({ suite: SUITE, name: 'overparam-train', backend: context.backend, unit: 'steps/s', ...summary, ...parameters, params: model.paramCount, steps, numTensorsBefore, numTensorsAfter: tf.memory().numTensors, note });
        log(`${SUITE} ${parameters.model} on ${context.backend}: ${summary.median.toFixed(3)} steps/s (K=${steps})`);
      } catch (e) {
        emitError(SUITE, 'overparam-train', context.backend, e, parameters);
      } finally {
        model.dispose();
      }
    }
  },
};
