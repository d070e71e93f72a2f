/**
 * Suite `import`: what importing a TF.js Layers model costs the Gram engine. The same MLP-3-1000
 * (784 inputs, 10 classes, tanh, softmax head) written as a `tf.sequential` and imported, against
 * overparam's own MLP with the same weights: seconds per loss Gram at n = 1024 on the fast path
 * (target: imported ≥ 0.9× native speed). Then the generic path (the same Sequential forced to it,
 * one backward pass of the Layers model per example): seconds per example against the fast path.
 */
import { buildModel, importLayersModel } from '@overparam/architectures';
import { gatherBatch, tf, type Model } from '@overparam/core';
import { gradientGram } from '@overparam/metrics';
import * as tfl from '@tensorflow/tfjs-layers';
import { emitError, emitMeasurement, log } from './emit';
import { seconds } from './gram';
import { summarize, timeSeconds, type Summary } from './measure';
import type { Suite, SuiteContext } from './suite';
import { syntheticClassification } from './synthetic';

const SUITE = 'import';
const INPUT_DIM = 784;
const CLASSES = 10;
const data = syntheticClassification(1024, INPUT_DIM, CLASSES, 5);

/** The Keras way to write MLP-3-ℓ, with the native model's weights. */
function sequentialTwin(native: Model, width: number): tfl.Sequential {
  const seq = tfl.sequential({ name: `keras-mlp-3-${width}` });
  for (let i = 0; i < 3; i++) seq.add(tfl.layers.dense({ units: width, activation: 'tanh', ...(i === 0 ? { inputShape: [INPUT_DIM] } : {}) }));
  seq.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax' }));
  seq.setWeights(native.readWeights().map((w) => tf.tensor(w.values, [...w.shape])));
  return seq;
}

async function lossGram(model: Model, n: number, method: 'fast' | 'loop'): Promise<void> {
  const batch = gatherBatch(data, [{ split: data.train, indices: Int32Array.from({ length: n }, (_, i) => i) }], false);
  try {
    await gradientGram(model, batch, { loss: 'softmax-cross-entropy', method });
  } finally {
    tf.dispose([batch.x, batch.y]);
  }
}

/**
 * Seconds of `a` and of `b`, timed in turn (a, b, b, a, …) after one untimed call of each: the two
 * models are the same computation, so drift in the machine's load must not favour either.
 */
async function alternating(a: () => Promise<void>, b: () => Promise<void>, reps: number): Promise<[Summary, Summary]> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < reps; r++) {
    const order: Array<[() => Promise<void>, number[]]> = r % 2 === 0 ? [[a, ta], [b, tb]] : [[b, tb], [a, ta]];
    for (const [fn, out] of order) out.push(await timeSeconds(fn));
  }
  return [summarize(ta), summarize(tb)];
}

async function importSuite({ settings, backend }: SuiteContext): Promise<void> {
  // --quick: MLP-3-100 at n = 128, one repetition.
  const width = settings.quick ? 100 : 1000;
  const n = settings.quick ? 128 : 1024;
  const reps = settings.quick ? 2 : Math.min(settings.reps, 4);
  const genericExamples = settings.quick ? 4 : 16;
  const native = buildModel('mlp', { depth: 3, width, inputDim: INPUT_DIM, outputDim: CLASSES, activation: 'tanh', init: 'glorot-normal' }, 0);
  const seq = sequentialTwin(native, width);
  const imported = importLayersModel(seq);
  const generic = importLayersModel(seq, { forceGeneric: true });
  const parameters = { model: native.name, width, n, params: native.paramCount, loss: 'softmax-cross-entropy' };
  try {
    log(`${SUITE} ${native.name} n=${n} on ${backend}`);
    const [mine, theirs] = await alternating(() => lossGram(imported, n, 'fast'), () => lossGram(native, n, 'fast'), reps);
    const base = { suite: SUITE, backend, ...parameters };
    emitMeasurement({ ...base, name: 'imported-loss-gram-fast', unit: 's', ...mine, path: imported.imported.path, note: null });
    emitMeasurement({ ...base, name: 'native-loss-gram-fast', unit: 's', ...theirs, note: null });
    const ratio = theirs.median / mine.median;
    emitMeasurement({ ...base, name: 'imported/native', unit: 'ratio', median: ratio, min: theirs.min / mine.max, max: theirs.max / mine.min, reps: Math.min(mine.reps, theirs.reps), target: 0.9, met: ratio >= 0.9, note: 'speed of the imported model over the native one (native seconds ÷ imported seconds)' });

    const loop = await seconds(() => lossGram(generic, genericExamples, 'loop'), reps);
    const perExample = loop.median / genericExamples;
    emitMeasurement({ ...base, n: genericExamples, name: 'generic-loss-gram', unit: 's', ...loop, path: generic.imported.path, perExampleSeconds: perExample, note: `the per-example loop over the Layers model itself, ${genericExamples} examples` });
    emitMeasurement({
      ...base,
      name: 'generic/fast-per-example',
      unit: 'ratio',
      median: perExample / (mine.median / n),
      min: loop.min / genericExamples / (mine.max / n),
      max: loop.max / genericExamples / (mine.min / n),
      reps: Math.min(loop.reps, mine.reps),
      note: `seconds per example of the generic path over the fast path's at n = ${n} (the loop also grows by n² inner products; this leaves them out of the fast side's favour)`,
    });
    log(`${SUITE} ${native.name}: imported ${mine.median.toFixed(3)} s, native ${theirs.median.toFixed(3)} s (ratio ${ratio.toFixed(2)}); generic ${(perExample * 1000).toFixed(1)} ms per example`);
  } catch (e) {
    emitError(SUITE, 'import', backend, e, parameters);
  } finally {
    imported.dispose();
    generic.dispose();
    native.dispose();
  }
}

export const importBenchSuite: Suite = {
  name: SUITE,
  description: 'loss Gram of an imported tf.sequential MLP-3-1000 vs the native MLP (n = 1024), and the generic path per example',
  run: importSuite,
};
