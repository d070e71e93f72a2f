/**
 * The rows of `--vs pytorch` and our side of each. Every row of ours runs in a process of its own
 * (`vs-row.ts`): the node backend fixes oneDNN when libtensorflow loads, from the row's workload,
 * as a run of that model would; and a Gram row's peak RSS is then its own.
 */
import { buildModel } from '@overparam/architectures';
import { gatherBatch, train, trainReplicas, type Dataset, type Model, type Workload } from '@overparam/core';
import { loadDataSet } from '@overparam/data';
import { gradientGram, minibatchConfusion } from '@overparam/metrics';
import { calibrateSteps, measureRate, summarize, timeSeconds, type Summary } from './measure';
import type { BenchSettings } from './suite';
import { randomInputs, randomLabels, syntheticClassification } from './synthetic';

export type Unit = 'steps/s' | 's';
export interface Row {
  readonly name: string;
  readonly unit: Unit;
  /** Minimum ratio (ours / PyTorch, in speed) per backend; absent: no target there. */
  readonly targets: Readonly<Record<string, number>>;
  /** What a run of this model announces to the backend before it loads. */
  readonly workload: Workload;
}

const BATCH = 128;
/** Issues 11 and 21: node at PyTorch speed or better on every row; wasm at half of it (CNN/WRN 0.3). */
const mlpTargets = { node: 1, wasm: 0.5 };
const convTargets = { node: 1, wasm: 0.3 };
const dense = (width: number): Workload => ({ convolutional: false, width, replicas: 1 });
const conv: Workload = { convolutional: true, replicas: 1 };
/** The wide net of Du et al. (the c12 preset's widest training row): MLP-2-4096 on 16 examples, full batch. */
export const WIDE = { width: 4096, n: 16, d: 8, lr: 0.1 } as const;
/** "10 runs": MLP-3-100 trained 10 times (seeds 0–9) for this many steps each. */
export const TEN_RUNS = { runs: 10, steps: 200 } as const;

export const vsRows: readonly Row[] = [
  { name: 'train MLP-3-100', unit: 'steps/s', targets: mlpTargets, workload: dense(100) },
  { name: 'train MLP-10-100', unit: 'steps/s', targets: mlpTargets, workload: dense(100) },
  { name: 'train MLP-100-100', unit: 'steps/s', targets: mlpTargets, workload: dense(100) },
  { name: 'train MLP-10-1000', unit: 'steps/s', targets: mlpTargets, workload: dense(1000) },
  { name: 'train CNN-16-2', unit: 'steps/s', targets: convTargets, workload: conv },
  { name: 'train WRN-16-2', unit: 'steps/s', targets: convTargets, workload: conv },
  { name: 'train wide net Du MLP-2-4096', unit: 'steps/s', targets: { node: 1 }, workload: dense(WIDE.width) },
  // Ours trains the 10 runs as one replica group, so the backend hears of 10 replicas (oneDNN on node).
  { name: 'MLP-3-100, 10 runs', unit: 's', targets: { node: 2.5 }, workload: { ...dense(100), replicas: 10 } },
  { name: 'minibatch cosines MLP-10-100', unit: 's', targets: { node: 1 }, workload: dense(100) },
  { name: 'loss Gram MLP-3-100', unit: 's', targets: mlpTargets, workload: dense(100) },
  { name: 'loss Gram MLP-3-1000', unit: 's', targets: mlpTargets, workload: dense(1000) },
  // Every eigenvalue within 3× LAPACK's time; plain JS, so the same on every backend.
  { name: 'eigenvalues', unit: 's', targets: { 'js-float64': 1 / 3 }, workload: dense(1) },
];

export type Measured = Summary & { readonly [field: string]: unknown };

function mlpModel(depth: number, width: number, seed = 0): Model {
  return buildModel('mlp', { depth, width, inputDim: 784, outputDim: 10, activation: 'tanh', init: 'glorot-normal' }, seed);
}

async function trainRate(model: Model, data: Dataset, settings: BenchSettings, options: { single: boolean; batchSize?: number; loss?: 'square'; lr?: number }): Promise<Measured> {
  const run = async (steps: number) => {
    const result = await train(model, data, { steps, batchSize: options.batchSize ?? BATCH, loss: options.loss ?? 'softmax-cross-entropy', schedule: { kind: 'constant', lr: options.lr ?? 0.01 }, seed: 0, logEvery: steps });
    if (result.steps !== steps) throw new Error(`train stopped after ${result.steps} of ${steps} steps (${result.outcome})`);
  };
  if (options.single) return { ...(await measureRate(run, 1, settings.reps, 1)), steps: 1 };
  const { steps } = await calibrateSteps(run, settings);
  return { ...(await measureRate(run, steps, settings.reps, 0)), steps };
}

export async function seconds(fn: () => Promise<unknown>, reps: number): Promise<Summary> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(await timeSeconds(async () => void (await fn())));
  return summarize(samples);
}

async function disposing<T>(model: Model, fn: (model: Model) => Promise<T>): Promise<T> {
  try {
    return await fn(model);
  } finally {
    model.dispose();
  }
}

/** Ten MLP-3-100 runs (seeds 0–9) as one replica group, the way a sweep trains them (`--replicas auto`); PyTorch trains them one after another. */
async function tenRunsAsReplicas(): Promise<void> {
  const data = syntheticClassification(16 * BATCH, 784, 10);
  const models = Array.from({ length: TEN_RUNS.runs }, (_, seed) => mlpModel(3, 100, seed));
  try {
    const results = await trainReplicas(models.map((model, seed) => ({ model, data, config: { steps: TEN_RUNS.steps, batchSize: BATCH, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed, logEvery: TEN_RUNS.steps } })));
    for (const [seed, result] of results.entries()) if (result.steps !== TEN_RUNS.steps) throw new Error(`run ${seed} stopped after ${result.steps} steps (${result.outcome})`);
  } finally {
    for (const model of models) model.dispose();
  }
}

/** Our measurement of one tensor row on the active backend (with extra fields for its line), or why it does not run there. */
export async function ours(row: Row, backend: string, settings: BenchSettings): Promise<Measured | string> {
  const mlp = /^train MLP-(\d+)-(\d+)$/.exec(row.name);
  if (mlp !== null) return disposing(mlpModel(Number(mlp[1]), Number(mlp[2])), (m) => trainRate(m, syntheticClassification(16 * BATCH, 784, 10), settings, { single: false }));
  const convNet = /^train (CNN|WRN)-16-2$/.exec(row.name);
  if (convNet !== null) {
    if (backend === 'cpu') return 'a step takes minutes on the cpu backend (see the wrn-train suite)';
    const skip = convNet[1] === 'WRN';
    const n = 2 * BATCH;
    const data: Dataset = { name: 'images', inputShape: [32, 32, 3], task: 'classification', numClasses: 10, train: { x: randomInputs(n * 3072, 3), y: randomLabels(n, 10, 4), n } };
    return disposing(buildModel(skip ? 'wrn' : 'cnn', { depth: 16, widthFactor: 2, batchNorm: skip, inputShape: [32, 32, 3], classes: 10 }, 0), (m) => trainRate(m, data, settings, { single: true }));
  }
  if (row.name === 'train wide net Du MLP-2-4096') {
    if (backend === 'cpu') return 'a step takes tens of seconds on the cpu backend';
    const data = loadDataSet('sphere', { seed: 0, options: { n: WIDE.n, d: WIDE.d, testN: 1 } });
    const model = buildModel('du-mlp', { depth: 2, width: WIDE.width, activation: 'relu', inputDim: WIDE.d, outputDim: 1 }, 0);
    return disposing(model, async (m) => ({ ...(await trainRate(m, data, settings, { single: false, batchSize: WIDE.n, loss: 'square', lr: WIDE.lr })), n: WIDE.n }));
  }
  if (row.name === 'MLP-3-100, 10 runs') {
    if (backend === 'cpu') return 'ten runs take minutes on the cpu backend';
    return { ...(await seconds(tenRunsAsReplicas, Math.min(3, settings.reps))), ...TEN_RUNS, method: 'one replica group of 10' };
  }
  if (row.name === 'minibatch cosines MLP-10-100') {
    const pairs = settings.quick ? 10 : 100;
    const data = syntheticClassification(2048, 784, 10, 3);
    return disposing(mlpModel(10, 100), async (m) => ({ ...(await seconds(() => minibatchConfusion(m, data, { pairs, batchSize: BATCH, loss: 'softmax-cross-entropy', seed: 0, method: 'direct' }), settings.reps)), pairs }));
  }
  const gram = /^loss Gram MLP-(\d+)-(\d+)$/.exec(row.name);
  if (gram !== null) {
    const n = 1024;
    const data = syntheticClassification(n, 784, 10, 3);
    return disposing(mlpModel(Number(gram[1]), Number(gram[2])), async (m) => {
      const batch = gatherBatch(data, [{ split: data.train, indices: Int32Array.from({ length: n }, (_, i) => i) }], false);
      const result = await seconds(() => gradientGram(m, batch, { loss: 'softmax-cross-entropy', method: 'fast' }), Math.min(3, settings.reps));
      // maxRSS is in KiB: the high-water mark of this process, i.e. of this Gram (plus Node and tfjs).
      return { ...result, n, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
    });
  }
  throw new Error(`no implementation for row '${row.name}'`);
}
