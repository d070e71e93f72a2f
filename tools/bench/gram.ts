/**
 * Suite `gram`: seconds per loss Gram G_ij = ⟨∇ℓ_i, ∇ℓ_j⟩ of n examples on MLP-β-ℓ (784 inputs,
 * 10 classes, tanh, Glorot normal, softmax cross-entropy), by the fast path and by the
 * per-example loop, and seconds per run of the paper's minibatch-pair protocol, against the time
 * of the 2·pairs training steps it is meant to cost.
 */
import { buildModel } from '@overparam/architectures';
import { gatherBatch, tf, train, type Dataset, type Model } from '@overparam/core';
import { gradientGram, minibatchConfusion } from '@overparam/metrics';
import { emitError, emitMeasurement, log } from './emit';
import { summarize, timeSeconds, type Summary } from './measure';
import type { Suite, SuiteContext } from './suite';
import { syntheticClassification } from './synthetic';

const SUITE = 'gram';
const INPUT_DIM = 784;
const CLASSES = 10;
const BATCH = 128;

const fullShapes = [
  { depth: 3, width: 100 },
  { depth: 10, width: 100 },
  { depth: 3, width: 1000 },
];
const fullSizes = [128, 512, 1024];

let dataset: Dataset | undefined;
function benchData(): Dataset {
  dataset ??= syntheticClassification(2048, INPUT_DIM, CLASSES, 3);
  return dataset;
}

function mlpModel(depth: number, width: number): Model {
  return buildModel('mlp', { depth, width, inputDim: INPUT_DIM, outputDim: CLASSES, activation: 'tanh', init: 'glorot-normal' }, 0);
}

/** Seconds of `reps` timed calls after one untimed one. */
export async function seconds(fn: () => Promise<unknown>, reps: number): Promise<Summary> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(await timeSeconds(async () => void (await fn())));
  return summarize(samples);
}

async function lossGram(model: Model, n: number, method: 'fast' | 'loop'): Promise<void> {
  const batch = gatherBatch(benchData(), [{ split: benchData().train, indices: Int32Array.from({ length: n }, (_, i) => i) }], false);
  try {
    // The result is float64 on the JS side, so the work is finished when it resolves.
    await gradientGram(model, batch, { loss: 'softmax-cross-entropy', method });
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
}

/** Seconds per float64 multiply-add of the loop's inner products (two float32 gradients of length p). */
function innerProductSeconds(p: number): number {
  const a = new Float32Array(p).map((_, i) => Math.sin(i));
  const b = new Float32Array(p).map((_, i) => Math.cos(i));
  let sink = 0;
  const reps = Math.max(4, Math.ceil(2e7 / p));
  const start = performance.now();
  for (let r = 0; r < reps; r++) {
    let s = 0;
    for (let t = 0; t < p; t++) s += a[t]! * b[t]!;
    sink += s;
  }
  const elapsed = (performance.now() - start) / 1000;
  if (!Number.isFinite(sink)) throw new Error('inner-product timing went wrong');
  return elapsed / (reps * p);
}

async function gramSuite(context: SuiteContext): Promise<void> {
  const { settings, backend } = context;
  // --quick: only the target comparison (MLP-3-100, n = 1024) and a small n, one repetition.
  const shapes = settings.quick ? fullShapes.slice(0, 1) : fullShapes;
  const sizes = settings.quick ? [128, 1024] : fullSizes;
  const reps = settings.quick ? 1 : Math.min(settings.reps, 3);
  const loopExamples = settings.quick ? 8 : 32;
  for (const { depth, width } of shapes) {
    const model = mlpModel(depth, width);
    const parameters = { model: model.name, depth, width, inputDim: INPUT_DIM, numClasses: CLASSES, activation: 'tanh', loss: 'softmax-cross-entropy', params: model.paramCount };
    try {
      // The loop at n costs n backward passes plus n(n+1)/2 float64 inner products of length P.
      // Both rates are measured: the inner products on their own, the backward passes as what a
      // small loop takes beyond its inner products; then extrapolated to each n.
      const perMac = innerProductSeconds(model.trainableParamCount);
      const pairsOf = (m: number) => (m * (m + 1)) / 2;
      const loopSubset = await seconds(() => lossGram(model, loopExamples, 'loop'), reps);
      const perExample = Math.max(0, loopSubset.median - pairsOf(loopExamples) * model.trainableParamCount * perMac) / loopExamples;
      for (const n of sizes) {
        log(`${SUITE} ${model.name} n=${n} on ${backend}`);
        const before = tf.memory().numTensors;
        const fast = await seconds(() => lossGram(model, n, 'fast'), reps);
        const after = tf.memory().numTensors;
        emitMeasurement({ suite: SUITE, name: 'loss-gram-fast', backend, unit: 's', ...fast, ...parameters, n, numTensorsBefore: before, numTensorsAfter: after, note: null });
        const backwardSeconds = perExample * n;
        const innerSeconds = pairsOf(n) * model.trainableParamCount * perMac;
        const loop = backwardSeconds + innerSeconds;
        const note = `extrapolated, not run: ${loopExamples} examples timed (${(perExample * 1000).toFixed(2)} ms of backward pass each) × ${n}, plus ${pairsOf(n)} inner products of ${model.trainableParamCount} float64 multiply-adds at the measured ${(perMac * 1e9).toFixed(2)} ns each`;
        const base = { suite: SUITE, backend, reps: fast.reps, ...parameters, n };
        emitMeasurement({ ...base, name: 'loss-gram-loop', unit: 's', median: loop, min: loop, max: loop, loopBackwardSeconds: backwardSeconds, loopInnerProductSeconds: innerSeconds, loopExamplesTimed: loopExamples, note });
        emitMeasurement({ ...base, name: 'loss-gram-loop/fast', unit: 'ratio', median: loop / fast.median, min: loop / fast.max, max: loop / fast.min, note: `speed-up of the fast path over the whole loop (${note})` });
        emitMeasurement({
          ...base,
          name: 'loss-gram-loop-backward/fast',
          unit: 'ratio',
          median: backwardSeconds / fast.median,
          min: backwardSeconds / fast.max,
          max: backwardSeconds / fast.min,
          note: "speed-up over the loop's backward passes alone, leaving out its inner products: a lower bound",
        });
        if (!settings.quick && n === sizes[0] && depth === fullShapes[0]!.depth && width === fullShapes[0]!.width) {
          // One real loop at the smallest n, to check the extrapolation against.
          const measured = await seconds(() => lossGram(model, n, 'loop'), 1);
          emitMeasurement({ ...base, name: 'loss-gram-loop-measured', unit: 's', ...measured, extrapolated: loop, note: 'the whole loop actually run once (after one untimed run), to check the extrapolated loss-gram-loop line' });
        }
        log(`${SUITE} ${model.name} n=${n}: fast ${fast.median.toFixed(3)} s; loop ≈ ${loop.toFixed(1)} s (${backwardSeconds.toFixed(1)} s backward); ratios ${(loop / fast.median).toFixed(0)} and ${(backwardSeconds / fast.median).toFixed(1)}`);
      }
    } catch (e) {
      emitError(SUITE, 'loss-gram', backend, e, parameters);
    } finally {
      model.dispose();
    }
  }
}

async function protocolSuite(context: SuiteContext): Promise<void> {
  const { settings, backend } = context;
  const pairs = settings.quick ? 10 : 100;
  const reps = settings.quick ? 1 : Math.min(settings.reps, 3);
  const model = mlpModel(10, 100);
  const data = benchData();
  const parameters = { model: model.name, depth: 10, width: 100, pairs, batchSize: BATCH, params: model.paramCount };
  try {
    // The yardstick: 2·pairs plain SGD steps of the same batch size.
    const steps = await seconds(async () => {
      await train(model, data, { steps: 2 * pairs, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 1e-9 }, seed: 0, logEvery: 2 * pairs });
    }, reps);
    emitMeasurement({ suite: SUITE, name: 'train-2x-pairs-steps', backend, unit: 's', ...steps, ...parameters, note: 'lr 1e-9: the work of training, weights left practically unchanged for the measurements after it' });
    for (const method of ['direct', 'gram'] as const) {
      const run = await seconds(() => minibatchConfusion(model, data, { pairs, batchSize: BATCH, loss: 'softmax-cross-entropy', seed: 0, method }), reps);
      emitMeasurement({ suite: SUITE, name: `minibatch-confusion-${method}`, backend, unit: 's', ...run, ...parameters, method, note: null });
      emitMeasurement({
        suite: SUITE,
        name: `minibatch-confusion-${method}/train-2x-pairs-steps`,
        backend,
        unit: 'ratio',
        median: run.median / steps.median,
        min: run.min / steps.max,
        max: run.max / steps.min,
        reps: Math.min(run.reps, steps.reps),
        ...parameters,
        method,
        note: 'cost of the protocol in units of 2·pairs training steps (≤ 1 means at or below the target)',
      });
      log(`${SUITE} minibatch protocol (${method}, ${pairs} pairs) on ${backend}: ${run.median.toFixed(2)} s vs ${steps.median.toFixed(2)} s for ${2 * pairs} steps`);
    }
  } catch (e) {
    emitError(SUITE, 'minibatch-confusion', backend, e, parameters);
  } finally {
    model.dispose();
  }
}

export const gramBenchSuite: Suite = {
  name: SUITE,
  description: 'loss Gram seconds (fast path vs per-example loop) and the minibatch-pair protocol',
  async run(context) {
    await gramSuite(context);
    await protocolSuite(context);
  },
};
