/**
 * Suite `mlp-train`: training steps per second of MLP-β-ℓ (batch 128, 784 inputs, 10 classes,
 * tanh, Glorot normal, softmax cross-entropy, plain SGD at 0.01) with our `train()` loop and with
 * tfjs-layers `model.fit`, on the same backend, plus the ratio of the two.
 */
import { tf } from '@overparam/core';
import { emitError, emitMeasurement, log } from './emit';
import { calibrateSteps, measureRate, type Summary } from './measure';
import type { Suite, SuiteContext } from './suite';
import { BATCH, benchData, benchMlp, CLASSES, INPUT_DIM, LR, mlpParameters, trainSteps } from './mlp-workload';
import { fitData, fitOnce, tfjsMlp, type MlpShape } from './tfjs-layers';

const SUITE = 'mlp-train';
/** Below this many steps per repetition the per-call overhead shows in the rate; say so. */
const FEW_STEPS = 10;

export const mlpShapes: ReadonlyArray<{ depth: number; width: number }> = [
  { depth: 3, width: 100 },
  { depth: 10, width: 100 },
  { depth: 30, width: 100 },
  { depth: 100, width: 100 },
  { depth: 10, width: 1000 },
];

function noteFor(steps: number): string | null {
  return steps < FEW_STEPS ? `small K: ${steps} step${steps === 1 ? '' : 's'} per repetition, so per-call overhead is included and the rate is noisier` : null;
}

async function measureOurs(shape: MlpShape, context: SuiteContext, parameters: Record<string, unknown>): Promise<Summary & { steps: number }> {
  const { settings } = context;
  const model = benchMlp(shape.depth, shape.width);
  try {
    const data = benchData();
    const run = (steps: number) => trainSteps(model, data, steps);
    const numTensorsBefore = tf.memory().numTensors;
    const { steps } = await calibrateSteps(run, settings);
    const summary = await measureRate(run, steps, settings.reps, 0);
    const numTensorsAfter = tf.memory().numTensors;
    emitMeasurement({
      suite: SUITE,
      name: 'overparam-train',
      backend: context.backend,
      unit: 'steps/s',
      ...summary,
      ...parameters,
      params: model.paramCount,
      steps,
      numTensorsBefore,
      numTensorsAfter,
      note: noteFor(steps),
    });
    return { ...summary, steps };
  } finally {
    model.dispose();
  }
}

async function measureTfjsLayers(shape: MlpShape, steps: number, context: SuiteContext, parameters: Record<string, unknown>): Promise<Summary> {
  const model = tfjsMlp(shape, LR);
  const data = fitData(steps, BATCH, shape);
  try {
    const summary = await measureRate(() => fitOnce(model, data, BATCH), steps, context.settings.reps, 1);
    emitMeasurement({
      suite: SUITE,
      name: 'tfjs-layers-fit',
      backend: context.backend,
      unit: 'steps/s',
      ...summary,
      ...parameters,
      params: model.countParams(),
      steps,
      note: noteFor(steps),
    });
    return summary;
  } finally {
    data.dispose();
    model.dispose();
  }
}

export const mlpTrainSuite: Suite = {
  name: SUITE,
  description: 'MLP training steps/s: our train() against tfjs-layers fit()',
  async run(context) {
    for (const { depth, width } of mlpShapes) {
      const shape: MlpShape = { depth, width, inputDim: INPUT_DIM, numClasses: CLASSES };
      const parameters = mlpParameters(depth, width);
      log(`${SUITE} ${parameters.model} on ${context.backend}: overparam train()`);
      let ours: (Summary & { steps: number }) | undefined;
      try {
        ours = await measureOurs(shape, context, parameters);
      } catch (e) {
        emitError(SUITE, 'overparam-train', context.backend, e, parameters);
        continue;
      }
      log(`${SUITE} ${parameters.model} on ${context.backend}: ${ours.median.toFixed(2)} steps/s (K=${ours.steps}); tfjs-layers fit()`);
      let theirs: Summary;
      try {
        theirs = await measureTfjsLayers(shape, ours.steps, context, parameters);
      } catch (e) {
        emitError(SUITE, 'tfjs-layers-fit', context.backend, e, { ...parameters, steps: ours.steps });
        continue;
      }
      log(`${SUITE} ${parameters.model} on ${context.backend}: tfjs-layers ${theirs.median.toFixed(2)} steps/s`);
      // Ratio of medians; min and max are the extreme pairings, a bound on the spread, not a sample.
      emitMeasurement({
        suite: SUITE,
        name: 'overparam-train/tfjs-layers-fit',
        backend: context.backend,
        unit: 'ratio',
        median: ours.median / theirs.median,
        min: ours.min / theirs.max,
        max: ours.max / theirs.min,
        reps: Math.min(ours.reps, theirs.reps),
        ...parameters,
        steps: ours.steps,
        note: ours.median < theirs.median ? 'overparam train() is slower than tfjs-layers fit() here' : null,
      });
    }
  },
};
