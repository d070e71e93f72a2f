/**
 * Suite `data-batches`: how fast training batches of 32×32×3 images are built — gathered from the
 * held data set into a tensor, with and without the WRN augmentation (pad 4, random crop, flip) —
 * and how fast the CIFAR stand-in `synthetic-images` is generated. Batches are what every training
 * step pays for before the model sees anything, so a slow batch shows up in every steps/s number.
 */
import { createRng, gatherBatch, tf, type BatchTransform, type Dataset } from '@overparam/core';
import { syntheticImages, wrnAugment } from '@overparam/data';
import { emitError, emitMeasurement, log } from './emit';
import { calibrateSteps, measureRate } from './measure';
import type { Suite, SuiteContext } from './suite';

const SUITE = 'data-batches';
const BATCH = 128;
const POOL = 8 * BATCH;

let images: Dataset | undefined;
function pool(): Dataset {
  images ??= syntheticImages({ n: POOL, validationN: 0, testN: 1, seed: 0 });
  return images;
}

/** `steps` batches, each gathered (and augmented), turned into a tensor, read back and disposed. */
function batches(augment: BatchTransform | undefined): (steps: number) => Promise<void> {
  const rng = createRng(0);
  const data = pool();
  return async (steps) => {
    for (let s = 0; s < steps; s++) {
      const indices = rng.sampleWithoutReplacement(data.train.n, BATCH);
      const batch = gatherBatch(data, [{ split: data.train, indices, ...(augment === undefined ? {} : { transform: (x: Float32Array, shape: readonly number[]) => augment(x, shape, rng) }) }], false);
      // Reading one value back makes the backend finish the upload before the clock stops.
      const probe = batch.x.slice([0, 0, 0, 0], [1, 1, 1, 1]);
      await probe.data();
      tf.dispose([probe, batch.x, batch.y]);
    }
  };
}

async function measure(context: SuiteContext, name: string, unit: string, perStep: number, run: (steps: number) => Promise<void>, parameters: Record<string, unknown>): Promise<void> {
  try {
    const before = tf.memory().numTensors;
    const { steps } = await calibrateSteps(run, context.settings);
    const summary = await measureRate(run, steps, context.settings.reps, 0);
    const scale = (v: number) => v * perStep;
    emitMeasurement({
      suite: SUITE,
      name,
      backend: context.backend,
      unit,
      median: scale(summary.median),
      min: scale(summary.min),
      max: scale(summary.max),
      reps: summary.reps,
      ...parameters,
      steps,
      numTensorsBefore: before,
      numTensorsAfter: tf.memory().numTensors,
    });
    log(`${SUITE} ${name} on ${context.backend}: ${scale(summary.median).toFixed(1)} ${unit}`);
  } catch (e) {
    emitError(SUITE, name, context.backend, e, parameters);
  }
}

export const dataBatchesSuite: Suite = {
  name: SUITE,
  description: 'image batches/s (gather, with and without WRN augmentation) and synthetic-images generation',
  async run(context) {
    const shape = { batchSize: BATCH, exampleShape: [32, 32, 3] };
    await measure(context, 'gather', 'batches/s', 1, batches(undefined), shape);
    await measure(context, 'gather+wrn-augment', 'batches/s', 1, batches(wrnAugment()), shape);
    const generate = (steps: number) => {
      syntheticImages({ n: 100 * steps, validationN: 0, testN: 1, seed: steps });
      return Promise.resolve();
    };
    await measure(context, 'synthetic-images-generate', 'images/s', 100, generate, { exampleShape: [32, 32, 3] });
  },
};
