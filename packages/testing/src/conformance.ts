import { flattenTree, MemorySink, tf, train, type Dataset, type Model, type Tensor } from '@overparam/core';
import { tensorGrowth } from './leaks';
import { randomBatch } from './model-gradcheck';

/**
 * The checks every registered architecture passes, as plain functions that measure and return;
 * `describeArchitectureConformance` turns them into vitest cases. `build(seed)` must return a new
 * model of a tiny instance each call (the caller disposes it).
 */
export type ModelFactory = (seed: number) => Model;

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Output shape on a batch of `batchSize` in evaluation mode, and whether every value is finite. */
export function outputReport(model: Model, batchSize: number): { shape: number[]; expected: number[]; finite: boolean } {
  const { x, y } = randomBatch(model, batchSize, 11);
  const out = tf.tidy(() => model.apply(x));
  const finite = out.dataSync().every(Number.isFinite);
  const report = { shape: [...out.shape], expected: [batchSize, ...model.outputShape], finite };
  tf.dispose([x, y, out]);
  return report;
}

/** The model's own counts next to the sums over its parameter shapes. */
export function parameterCountReport(model: Model): { paramCount: number; summed: number; trainableParamCount: number; summedTrainable: number; leaves: number; listed: number; uniquePaths: number } {
  const sized = model.parameters.map((p) => ({ ...p, fromShape: product(p.shape) }));
  return {
    paramCount: model.paramCount,
    summed: sized.reduce((n, p) => n + p.fromShape, 0),
    trainableParamCount: model.trainableParamCount,
    summedTrainable: sized.filter((p) => p.trainable).reduce((n, p) => n + p.fromShape, 0),
    leaves: flattenTree(model.params).length,
    listed: model.parameters.length,
    uniquePaths: new Set(model.parameters.map((p) => p.path)).size,
  };
}

/** Parameters no tap reports (the metrics cannot see them) and tapped paths that are not parameters. */
export function tapCoverage(model: Model): { untapped: string[]; unknown: string[] } {
  const tapped = new Set<string>();
  const { x, y } = randomBatch(model, 2, 12);
  tf.tidy(() => {
    model.apply(x, {
      recorder: {
        tap(event) {
          for (const path of Object.values(event.paramPaths)) tapped.add(path);
          return event.output;
        },
      },
    });
  });
  tf.dispose([x, y]);
  const paths = new Set(model.parameters.map((p) => p.path));
  return { untapped: [...paths].filter((p) => !tapped.has(p)), unknown: [...tapped].filter((p) => !paths.has(p)) };
}

function outputs(model: Model, x: Tensor, training: boolean): Float32Array {
  return tf.tidy(() => model.apply(x, { training, rng: { seed: () => 7 } }).dataSync() as Float32Array);
}

/** Same seed: same weights and outputs (both modes); another seed: other weights. */
export function determinismReport(build: ModelFactory): { sameWeights: boolean; sameEval: boolean; sameTraining: boolean; otherSeedDiffers: boolean } {
  const [a, b, c] = [build(3), build(3), build(4)];
  try {
    const flat = (m: Model) => m.readWeights().flatMap((w) => Array.from(w.values));
    const wa = flat(a);
    const { x, y } = randomBatch(a, 3, 13);
    const equal = (p: ArrayLike<number>, q: ArrayLike<number>) => p.length === q.length && Array.from(p).every((v, i) => Object.is(v, q[i]));
    const report = {
      sameWeights: equal(wa, flat(b)),
      sameEval: equal(outputs(a, x, false), outputs(b, x, false)),
      sameTraining: equal(outputs(a, x, true), outputs(b, x, true)),
      otherSeedDiffers: !equal(wa, flat(c)),
    };
    tf.dispose([x, y]);
    return report;
  } finally {
    for (const m of [a, b, c]) m.dispose();
  }
}

/** A regression set of `n` random examples shaped for `model`, for the square loss. */
export function randomDataset(model: Model, n: number, seed: number): Dataset {
  const { x, y } = randomBatch(model, n, seed);
  const data: Dataset = {
    name: 'conformance-random',
    inputShape: model.inputShape,
    task: 'regression',
    targetDim: product(model.outputShape),
    train: { x: x.dataSync() as Float32Array, y: y.dataSync() as Float32Array, n },
  };
  tf.dispose([x, y]);
  return data;
}

const trainConfig = (steps: number, seed: number) => ({ steps, batchSize: 4, loss: 'square' as const, schedule: { kind: 'constant' as const, lr: 1e-3 }, seed, logEvery: 1 });

/** Loss curves and final weights of two `steps`-step runs from the same seeds. */
export async function trainingDeterminism(build: ModelFactory, steps: number): Promise<{ lossesA: number[]; lossesB: number[]; sameWeights: boolean }> {
  const run = async () => {
    const model = build(5);
    try {
      const sink = new MemorySink();
      await train(model, randomDataset(model, 12, 21), trainConfig(steps, 9), { sinks: [sink] });
      return { losses: sink.ofKind('train').map((r) => r.loss as number), weights: model.readWeights().flatMap((w) => Array.from(w.values)) };
    } finally {
      model.dispose();
    }
  };
  const a = await run();
  const b = await run();
  return { lossesA: a.losses, lossesB: b.losses, sameWeights: a.weights.length === b.weights.length && a.weights.every((v, i) => Object.is(v, b.weights[i])) };
}

/** Tensors alive after `steps` training steps that were not before (after a short warm-up). */
export async function trainingTensorGrowth(build: ModelFactory, steps: number): Promise<{ growth: number; stepsDone: number }> {
  const model = build(6);
  try {
    const data = randomDataset(model, 12, 22);
    // The first steps create tfjs's cached constants and optimizer slots; those are not leaks.
    await train(model, data, trainConfig(2, 1));
    let stepsDone = 0;
    const growth = await tensorGrowth(async () => {
      stepsDone = (await train(model, data, trainConfig(steps, 2))).steps;
    });
    return { growth, stepsDone };
  } finally {
    model.dispose();
  }
}
