import { ConfigError, flattenTree, lossLabel, tf, type NamedArray } from '@overparam/core';
import { z } from 'zod';
import { encodeCheckpoint } from '../store/checkpoint-format';
import { parseRunConfig, type RunConfig } from '../config/config';
import { measure, measureMetrics, type Measurement } from './measure';
import { prepareRun, type PreparedRun } from '../run/prepare';
import type { RunLock, RunStore } from '../store/types';

/**
 * A measurement run: one metric of a model (at initialization, or with weights from a
 * checkpoint) into a store, as files anyone can recompute the numbers from:
 *
 * - `measure.json`: the numbers, the model and where its weights came from;
 * - `gram.f64`: the n×n Gram, row-major little-endian float64, when the metric has one;
 * - `examples.json` (+ `inputs.f32` when large): the examples, as indices into the training
 *   split, the inputs as the model received them, and the labels or targets;
 * - `checkpoint/`: the weights measured, in the checkpoint format (weights only).
 *
 * Every default is here, in the schema; `overparam measure` derives its flags' help from it.
 */
export const measureSpecSchema = z.strictObject({
  metric: z.enum(measureMetrics, { error: (i) => `unknown metric '${String(i.input)}'; expected one of: ${measureMetrics.join(', ')}` }),
  /** Examples of the training split for the Gram metrics. */
  n: z.number().int().min(1).default(256),
  /** Minibatch pairs for minibatch-confusion (of the run config's batch size). */
  pairs: z.number().int().min(1).default(100),
  /** The spectrum of the 'output' Gram (the empirical NTK) or of the 'loss' Gram. */
  of: z.enum(['output', 'loss']).default('output'),
  /** An NTK of k outputs as its n×n 'trace' or the full kn×kn matrix. */
  outputs: z.enum(['trace', 'full']).default('trace'),
  /** Gram metrics: auto | fast | loop; minibatch-confusion: direct | gram (auto means direct). */
  method: z.enum(['auto', 'fast', 'loop', 'direct', 'gram']).default('auto'),
  /** Also report each layer's share. */
  perLayer: z.boolean().default(false),
});
export type MeasureSpec = z.output<typeof measureSpecSchema>;

/** Files a measurement writes; all are removed first, so none of an earlier measurement is left. */
export const MEASUREMENT_FILES = ['measure.json', 'gram.f64', 'examples.json', 'inputs.f32', 'checkpoint'] as const;

/** Inputs inline in examples.json up to this many values; beyond, a float32 file beside it. */
const INLINE_INPUTS = 2_000_000;

export function parseMeasureSpec(input: unknown): MeasureSpec {
  const result = measureSpecSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(issue.path.length > 0 ? issue.path.join('.') : 'measure', issue.message);
  }
  const spec = result.data;
  if ((spec.metric === 'confusion' || spec.metric === 'loss-gram') && spec.n < 2) throw new ConfigError('n', `${spec.metric} compares pairs of examples; give at least 2`);
  if (spec.metric === 'minibatch-confusion' && !['auto', 'direct', 'gram'].includes(spec.method)) {
    throw new ConfigError('method', `minibatch-confusion computes minibatch gradients 'direct' (default) or by the 'gram' engine, not '${spec.method}'`);
  }
  if (spec.metric !== 'minibatch-confusion' && !['auto', 'fast', 'loop'].includes(spec.method)) throw new ConfigError('method', `the Gram engine runs 'auto', 'fast' or 'loop', not '${spec.method}'`);
  return spec;
}

function littleEndian(values: Float64Array | Float32Array): Uint8Array {
  const width = values instanceof Float64Array ? 8 : 4;
  const view = new DataView(new ArrayBuffer(values.length * width));
  if (width === 8) values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  else values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return new Uint8Array(view.buffer);
}

function examplesFiles(data: string, m: Measurement): Array<[string, Uint8Array | string]> {
  const e = m.examples;
  const size = e.inputShape.reduce((a, b) => a * b, 1);
  const inline = e.inputs.length <= INLINE_INPUTS;
  const rows = Array.from({ length: e.indices.length }, (_, i) => Array.from(e.inputs.subarray(i * size, (i + 1) * size)));
  const targetWidth = e.targets.length / Math.max(1, e.indices.length);
  const record = {
    data,
    split: 'train',
    indices: Array.from(e.indices),
    inputShape: e.inputShape,
    ...(inline ? { inputs: rows } : { inputsFile: 'inputs.f32', inputsLayout: `[${e.indices.length}, ${e.inputShape.join(', ')}] row-major little-endian float32` }),
    ...(e.targets instanceof Int32Array ? { labels: Array.from(e.targets) } : { targets: Array.from({ length: e.indices.length }, (_, i) => Array.from(e.targets.subarray(i * targetWidth, (i + 1) * targetWidth))) }),
    ...(e.pairs ? { pairs: e.pairs.map(([a, b]) => [Array.from(a), Array.from(b)]) } : {}),
  };
  const files: Array<[string, Uint8Array | string]> = [['examples.json', `${JSON.stringify(record)}\n`]];
  if (!inline) files.push(['inputs.f32', littleEndian(e.inputs)]);
  return files;
}

/** Loads a checkpoint's weights (and batch-norm state) into the run's model; shapes must match. */
function loadWeights(run: PreparedRun, tensors: readonly NamedArray[], source: string): void {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const missing = run.model.parameters.filter((p) => !byName.has(`param/${p.path}`)).map((p) => p.path);
  if (missing.length > 0) throw new ConfigError('checkpoint', `${source} lacks parameters ${missing.join(', ')} of ${run.model.name}; was it written for another architecture?`);
  for (const p of run.model.parameters) {
    const t = byName.get(`param/${p.path}`)!;
    if (t.shape.join(',') !== p.shape.join(',')) throw new ConfigError('checkpoint', `${source}: parameter '${p.path}' has shape [${t.shape.join(', ')}], ${run.model.name} needs [${p.shape.join(', ')}]; give the flags the run was trained with`);
  }
  run.model.writeWeights(run.model.parameters.map((p) => ({ path: p.path, shape: p.shape, values: byName.get(`param/${p.path}`)!.values as Float32Array })));
  for (const [path, v] of flattenTree(run.model.state)) {
    const t = byName.get(`state/${path}`);
    if (t !== undefined) tf.tidy(() => v.assign(tf.tensor(t.values, v.shape, t.dtype)));
  }
}

export interface MeasureRunOptions {
  readonly store: RunStore;
  readonly id: string;
  /** Weights to measure instead of the initialization (a checkpoint's tensors), and where they came from. */
  readonly weights?: { readonly tensors: readonly NamedArray[]; readonly source: string };
}

/** Runs one measurement and writes its files; returns what measure.json holds. */
export async function measureRun(configInput: unknown, specInput: unknown, options: MeasureRunOptions): Promise<Record<string, unknown>> {
  const config: RunConfig = parseRunConfig(configInput);
  const spec = parseMeasureSpec(specInput);
  const started = Date.now();
  // A measurement takes no training steps: the training batch size only matters to minibatch-confusion, which checks its own pairs.
  const run = await prepareRun({ ...config, steps: 0 });
  const { store, id } = options;
  let lock: RunLock | undefined;
  try {
    if (options.weights !== undefined) loadWeights(run, options.weights.tensors, options.weights.source);
    // One writer per directory, taken once the inputs are checked and before the measuring starts.
    lock = await store.lock(id);
    const m = await measure(run, { ...spec, batchSize: run.trainConfig.batchSize, seed: config.seed });
    await store.clearArtifacts(id, MEASUREMENT_FILES);
    const files: string[] = ['measure.json'];
    for (const [name, data] of examplesFiles(run.data.name, m)) {
      await store.writeArtifact(id, name, data);
      files.push(name);
    }
    if (m.gram !== undefined) {
      await store.writeArtifact(id, 'gram.f64', littleEndian(m.gram.matrix));
      files.push('gram.f64');
    }
    const tensors: NamedArray[] = run.model.readWeights().map((w) => ({ name: `param/${w.path}`, shape: w.shape, dtype: 'float32', values: w.values }));
    const { manifest, bytes } = encodeCheckpoint(tensors, { modelName: run.model.name, step: 0, tensorsFile: 'tensors-000000000.bin' });
    await store.writeArtifact(id, `checkpoint/${manifest.tensorsFile}`, bytes);
    await store.writeArtifact(id, 'checkpoint/checkpoint.json', `${JSON.stringify(manifest, null, 2)}\n`);
    files.push('checkpoint/');
    const summary = {
      metric: spec.metric,
      model: { arch: config.arch, name: run.model.name, paramCount: run.model.paramCount, options: run.modelOptions },
      data: run.data.name,
      loss: lossLabel(run.loss),
      n: spec.metric === 'minibatch-confusion' ? undefined : spec.n,
      seed: config.seed,
      backend: run.backend.name,
      weights: options.weights !== undefined ? { checkpoint: options.weights.source } : { initialization: { seed: config.seed } },
      ...m.summary,
      ...(m.gram !== undefined ? { gramFile: { name: 'gram.f64', size: m.gram.size, layout: 'row-major little-endian float64' } } : {}),
      files,
      seconds: (Date.now() - started) / 1000,
    };
    await store.writeArtifact(id, 'measure.json', `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    run.model.dispose();
    await lock?.release();
  }
}
