import { activeBackendTraits, ConfigError, createRng, gatherBatch, replicaMeanLosses, replicate, resolveLoss, tf, yieldToEventLoop, type Dataset, type Loss, type LossName, type Model, type ReplicatedModel, type Rng, type Split, type Tensor } from '@overparam/core';
import { defaultQuantiles, summarizeCosines, type CosineSummary } from './confusion';
import { gradientGram } from './gram/engine';

/**
 * The paper's measurement protocol (Sankararaman et al. (2020), §7; Sankararaman et al. (2020), appendix A.1, A.2): sample `pairs` pairs of
 * minibatches of `batchSize` examples (the training batch size), no example twice within a pair,
 * compute each minibatch's mean-loss gradient and each pair's cosine; report the cosines, their
 * minimum ("worst-case gradient confusion"), mean and quantiles.
 */
/**
 * How a minibatch's mean-loss gradient is had: `direct` (one backward pass per minibatch), from
 * the `gram` engine's grouped Gram, or `batched` (many minibatches in one backward pass through a
 * replica group of copies of the model, core's `replicate`: one kernel launch serves them all,
 * which is what a deep narrow net's cost is made of).
 */
export const minibatchMethods = ['direct', 'gram', 'batched'] as const;
export type MinibatchMethod = (typeof minibatchMethods)[number];

export interface MinibatchConfusionOptions {
  /** Default 100 (§7); A.1 used 1000. */
  readonly pairs?: number;
  /** Default 128, the papers' training batch size. */
  readonly batchSize?: number;
  readonly loss: Loss | LossName;
  /** Seed or stream for the sampling; hooks pass theirs. Default seed 0. */
  readonly seed?: number | string;
  readonly rng?: Rng;
  /** Split to sample from. Default the training split, as the paper does. */
  readonly split?: 'train' | 'validation' | 'test';
  /**
   * Batch-norm mode. Default true: each minibatch is normalized by its own statistics, as in
   * training (running statistics are not updated). False uses the running statistics.
   */
  readonly training?: boolean;
  /**
   * `direct`: per pair, one backward pass per minibatch (tf.variableGrads), the inner products in
   * float64 — cost ≈ 2·pairs training steps without the updates. `gram`: per pair, the Gram
   * engine's groups mode (one pass of the 2·batchSize examples, then per-layer products).
   * `batched`: up to BATCHED_MAX_PAIRS pairs in one backward pass of a replica group (the same
   * gradients, summed by batched kernels; it gains where layers have a batched form, dense ones,
   * and runs per copy otherwise). On a backend whose replica groups step one member at a time
   * (`replicaSteps: 'sequential'`, wasm: its batched matMul is slower than plain ones) it runs
   * as `direct`, and the result says so. Default `direct`, the faster of the first two on the MLPs
   * we measured (see the README).
   */
  readonly method?: MinibatchMethod;
  readonly quantiles?: readonly number[];
}

export interface MinibatchConfusion {
  readonly pairs: number;
  readonly batchSize: number;
  /** cos(g_a, g_b) for each pair, in sampling order. */
  readonly cosines: Float64Array;
  /** ⟨g_a, g_b⟩ for each pair. */
  readonly inner: Float64Array;
  readonly summary: CosineSummary;
  /** Definition 2.1 over the sampled pairs: max(0, −min ⟨g_a, g_b⟩). */
  readonly eta: number;
  /** The normalized variant: max(0, −min cosine). */
  readonly etaNormalized: number;
  /** The method that ran: the one asked for, but `direct` where `batched` was asked on a backend that steps replicas one at a time. */
  readonly method: MinibatchMethod;
  /** Each pair's 2·batchSize rows of the split: the first minibatch, then the second. */
  readonly rows: readonly Int32Array[];
}

/** One minibatch's mean-loss gradient, as tensors per trainable parameter (layer order). */
function gradientTensors(model: Model, data: Dataset, split: Split, rows: Int32Array, loss: Loss, training: boolean): Tensor[] {
  const vars = model.parameters.filter((p) => p.trainable).map((p) => p.variable);
  const batch = gatherBatch(data, [{ split: split, indices: rows }], false);
  // Batch-norm keeps its new running statistics past the tidy; measuring must not change them.
  const stateUpdates = new Map<string, Tensor>();
  try {
    return tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.mean(loss.perExample(model.apply(batch.x, { training, stateUpdates }), batch.y)) as tf.Scalar, vars);
      return vars.map((v) => grads[v.name]!);
    });
  } finally {
    batch.x.dispose();
    batch.y.dispose();
    for (const t of stateUpdates.values()) t.dispose();
  }
}

function dot(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) {
    const u = a[p]!;
    const v = b[p]!;
    for (let i = 0; i < u.length; i++) s += u[i]! * v[i]!;
  }
  return s;
}

/** [⟨g_a, g_b⟩, ‖g_a‖², ‖g_b‖²] for one pair. */
async function pairProducts(model: Model, data: Dataset, split: Split, rows: Int32Array, batchSize: number, loss: Loss, training: boolean, method: MinibatchMethod): Promise<[number, number, number]> {
  if (method === 'gram') {
    const batch = gatherBatch(data, [{ split: split, indices: rows }], false);
    try {
      const first = Int32Array.from({ length: batchSize }, (_, i) => i);
      const second = Int32Array.from({ length: batchSize }, (_, i) => batchSize + i);
      const g = await gradientGram(model, batch, { loss, groups: [first, second], training });
      return [g.matrix[1]!, g.matrix[0]!, g.matrix[3]!];
    } finally {
      batch.x.dispose();
      batch.y.dispose();
    }
  }
  const tensors: Tensor[][] = [];
  let grads: Float32Array[][];
  try {
    for (const half of [rows.subarray(0, batchSize), rows.subarray(batchSize)]) tensors.push(gradientTensors(model, data, split, half, loss, training));
    // Read without blocking, both minibatches at once: on WebGL/WebGPU a synchronous read stalls
    // the page for the whole pipeline, and one wait for both costs less than two.
    grads = (await Promise.all(tensors.map((g) => Promise.all(g.map((t) => t.data()))))) as Float32Array[][];
  } finally {
    for (const g of tensors) for (const t of g) t.dispose();
  }
  return [dot(grads[0]!, grads[1]!), dot(grads[0]!, grads[0]!), dot(grads[1]!, grads[1]!)];
}

/** A `batched` pass holds 2·pairs copies of the parameters and their gradients: at most this many floats of each. */
const BATCHED_MAX_FLOATS = 1 << 24;
/** Past this many pairs per pass the batched kernels gain little and the event loop waits long. */
export const BATCHED_MAX_PAIRS = 16;

/**
 * [⟨g_a, g_b⟩, ‖g_a‖², ‖g_b‖²] for each pair of `rows` (all of one pass): the pass's minibatches
 * are the replicas of `group`, copies of one model, so one batched forward and backward pass gives
 * each minibatch's own mean-loss gradient on the leading axis of the stacked parameters' gradients.
 */
async function batchedPairProducts(group: ReplicatedModel, data: Dataset, split: Split, rows: readonly Int32Array[], batchSize: number, loss: Loss, training: boolean): Promise<Array<[number, number, number]>> {
  const copies = rows.length * 2;
  if (group.size > copies) group.keep(Array.from({ length: copies }, (_, k) => k));
  const batch = gatherBatch(data, rows.flatMap((r) => [{ split, indices: r.subarray(0, batchSize) }, { split, indices: r.subarray(batchSize) }]), true);
  const stateUpdates = new Map<string, Tensor>();
  let grads: Tensor[] = [];
  try {
    grads = tf.tidy(() => {
      // The sum of each copy's mean loss: copy k's gradient is its own minibatch's mean-loss gradient.
      const { grads: byName } = tf.variableGrads(() => tf.sum(replicaMeanLosses(loss, group.apply(batch.x, { training, stateUpdates }), batch.y)) as tf.Scalar, group.trainable as tf.Variable[]);
      return group.trainable.map((v) => byName[v.name]!);
    });
    const values = (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
    const sizes = grads.map((g) => g.size / copies);
    const slices = (k: number) => values.map((v, p) => v.subarray(k * sizes[p]!, (k + 1) * sizes[p]!));
    return rows.map((_, j) => {
      const a = slices(2 * j);
      const b = slices(2 * j + 1);
      return [dot(a, b), dot(a, a), dot(b, b)];
    });
  } finally {
    for (const g of grads) g.dispose();
    batch.x.dispose();
    batch.y.dispose();
    for (const t of stateUpdates.values()) t.dispose();
  }
}

/** Pairs per `batched` pass for a model of `parameters` trainable numbers. */
export function batchedPairsPerPass(parameters: number): number {
  return Math.max(1, Math.min(BATCHED_MAX_PAIRS, Math.floor(BATCHED_MAX_FLOATS / (2 * parameters))));
}

export async function minibatchConfusion(model: Model, data: Dataset, options: MinibatchConfusionOptions): Promise<MinibatchConfusion> {
  const pairs = options.pairs ?? 100;
  const batchSize = options.batchSize ?? 128;
  const splitName = options.split ?? 'train';
  const split = data[splitName];
  if (split === undefined) throw new ConfigError('split', `data set '${data.name}' has no ${splitName} split`);
  if (!Number.isInteger(pairs) || pairs < 1) throw new ConfigError('pairs', `must be a positive integer, got ${pairs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', `must be a positive integer, got ${batchSize}`);
  if (2 * batchSize > split.n) {
    throw new ConfigError('batchSize', `a pair of minibatches of ${batchSize} needs ${2 * batchSize} distinct examples, but the ${splitName} split has ${split.n}`);
  }
  const asked = options.method ?? 'direct';
  if (!(minibatchMethods as readonly string[]).includes(asked)) throw new ConfigError('method', `must be one of ${minibatchMethods.map((k) => `'${k}'`).join(', ')}, got '${String(asked)}'`);
  // The same pairs and, to float32 rounding, the same products either way (minibatch.test.ts).
  const method: MinibatchMethod = asked === 'batched' && activeBackendTraits().replicaSteps === 'sequential' ? 'direct' : asked;
  const loss = resolveLoss(options.loss);
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const training = options.training ?? true;

  const cosines = new Float64Array(pairs);
  const inner = new Float64Array(pairs);
  // 2·batchSize distinct examples per pair, split in two: the pair's minibatches never share one.
  // Drawn up front, in pair order, so that every method measures the same pairs for a seed.
  const sampled = Array.from({ length: pairs }, () => rng.sampleWithoutReplacement(split.n, 2 * batchSize));
  const record = (p: number, [ab, aa, bb]: [number, number, number]) => {
    inner[p] = ab;
    cosines[p] = aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : NaN;
  };
  const perPass = method === 'batched' ? Math.min(pairs, batchedPairsPerPass(model.parameters.filter((q) => q.trainable).reduce((n, q) => n + q.shape.reduce((a, b) => a * b, 1), 0))) : 1;
  // Stacking the copies costs about a pass: once per measurement, shrunk (`keep`) for a short last pass.
  const group = method === 'batched' ? replicate(Array.from({ length: 2 * perPass }, () => model)) : undefined;
  try {
    for (let p = 0; p < pairs; p += perPass) {
      // A pass is two or more backward passes: let the page (or a signal handler) have a turn between passes.
      await yieldToEventLoop();
      if (group !== undefined) {
        const products = await batchedPairProducts(group, data, split, sampled.slice(p, p + perPass), batchSize, loss, training);
        products.forEach((v, j) => record(p + j, v));
      } else {
        record(p, await pairProducts(model, data, split, sampled[p]!, batchSize, loss, training, method));
      }
    }
  } finally {
    group?.dispose();
  }
  const summary = summarizeCosines(cosines, options.quantiles ?? defaultQuantiles);
  let minInner = Infinity;
  for (const v of inner) minInner = Math.min(minInner, v);
  return { pairs, batchSize, cosines, inner, summary, eta: Math.max(0, -minInner), etaNormalized: Math.max(0, -summary.min), method, rows: sampled };
}
