import { ConfigError, flattenTree, lossLabel, tf, type NamedArray } from '@overparam/core';
import { checkMeasurable, checkMetricSpec, metricDefinitions, metricSpecSchema, type MeasureContext, type MetricSpec } from '@overparam/metrics';
import { encodeCheckpoint } from '../store/checkpoint-format';
import { parseRunConfig, type RunConfig } from '../config/config';
import { measure } from './measure';
import { examplesFiles, GRAM_FILE, gramFileEntry, littleEndian, MEASUREMENT_FILES } from './measurement-files';
import { prepareRun, withArchitectureSettings, type PreparedRun } from '../run/prepare';
import type { ImportedModelRecord } from '../run/imported-model';
import type { RunLock, RunStore } from '../store/types';

/**
 * A measurement run: one metric of a model (at initialization, or with weights from a
 * checkpoint) into a store, as files anyone can recompute the numbers from (see
 * measurement-files.ts). The metric is named and specified exactly as `train --metric` takes it
 * (`{ name: 'gram', of: 'loss', n: 64 }`); its schedule keys mean nothing here.
 */

/** What `measure` accepts: every metric of the registry. */
export const measureMetricNames: readonly string[] = metricDefinitions.map((d) => d.name);

/** Names `overparam measure` took before the metric vocabulary was one; kept for one release. */
export const measureAliases: Readonly<Record<string, { readonly name: 'gram'; readonly of: 'loss' | 'output' }>> = {
  'loss-gram': { name: 'gram', of: 'loss' },
  'ntk-gram': { name: 'gram', of: 'output' },
};

/**
 * Checks a measurement's metric spec; the error names the spec's key (`n`, `of`) so that the
 * command line can name its flag, and a key the metric does not take says so.
 */
export function parseMeasureSpec(input: unknown): MetricSpec {
  const result = metricSpecSchema.safeParse(input);
  if (result.success) {
    checkMeasurable(result.data);
    return result.data;
  }
  const issue = result.error.issues[0]!;
  const name = String((input as { name?: unknown } | null)?.name);
  if (issue.code === 'unrecognized_keys') throw new ConfigError(issue.keys[0]!, `${name} does not take '${issue.keys[0]!}'`);
  const field = issue.path.map(String).join('.');
  throw new ConfigError(field === '' || field === 'name' ? 'metric' : field, issue.message);
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
  /** Told as long work advances (Gram passes, the eigen-solve), for a progress display. */
  readonly progress?: MeasureContext['progress'];
  /** Told once the model is built, before measuring: a model read from a file, and the path its import took. */
  readonly onModel?: (imported: ImportedModelRecord) => void;
}

/**
 * The spec as the run completes it, checked against its data before any measuring: the
 * architecture's settings filled in, and a minibatch metric's `batchSize` taken from the run's
 * batch size (`--batch-size`) unless the spec gives one.
 */
function checkedSpec(spec: MetricSpec, input: unknown, run: PreparedRun): MetricSpec {
  const givenBatchSize = (input as { batchSize?: unknown } | null)?.batchSize !== undefined;
  const withBatch = (spec as { batchSize?: unknown }).batchSize !== undefined && !givenBatchSize ? parseMeasureSpec({ ...(input as object), batchSize: run.trainConfig.batchSize }) : spec;
  const filled = withArchitectureSettings(withBatch, run);
  // The spec is the whole input here, so its error names the spec's own key (`n`), not `metrics.0.n`.
  checkMetricSpec(filled, run.data);
  return filled;
}

/** Runs one measurement and writes its files; returns what measure.json holds. */
export async function measureRun(configInput: unknown, specInput: unknown, options: MeasureRunOptions): Promise<Record<string, unknown>> {
  const config: RunConfig = parseRunConfig(configInput);
  const given = parseMeasureSpec(specInput);
  const started = Date.now();
  // A measurement takes no training steps: the training batch size only matters to a metric of minibatches.
  const run = await prepareRun({ ...config, steps: 0 });
  const { store, id } = options;
  let lock: RunLock | undefined;
  try {
    const spec = checkedSpec(given, specInput, run);
    if (run.imported !== undefined) options.onModel?.(run.imported);
    if (options.weights !== undefined) loadWeights(run, options.weights.tensors, options.weights.source);
    // One writer per directory, taken once the inputs are checked and before the measuring starts.
    lock = await store.lock(id);
    const m = await measure(run, spec, { seed: config.seed, ...(options.progress ? { progress: options.progress } : {}) });
    await store.clearArtifacts(id, MEASUREMENT_FILES);
    const files: string[] = ['measure.json'];
    for (const [name, data] of m.examples ? examplesFiles(run.data.name, m.examples) : []) {
      await store.writeArtifact(id, name, data);
      files.push(name);
    }
    if (m.gram !== undefined) {
      await store.writeArtifact(id, GRAM_FILE, littleEndian(m.gram.matrix));
      files.push(GRAM_FILE);
    }
    const tensors: NamedArray[] = run.model.readWeights().map((w) => ({ name: `param/${w.path}`, shape: w.shape, dtype: 'float32', values: w.values }));
    const { manifest, bytes } = encodeCheckpoint(tensors, { modelName: run.model.name, step: 0, tensorsFile: 'tensors-000000000.bin' });
    await store.writeArtifact(id, `checkpoint/${manifest.tensorsFile}`, bytes);
    await store.writeArtifact(id, 'checkpoint/checkpoint.json', `${JSON.stringify(manifest, null, 2)}\n`);
    files.push('checkpoint/');
    const summary = {
      metric: spec.name,
      model: { ...(config.arch === undefined ? {} : { arch: config.arch }), name: run.model.name, paramCount: run.model.paramCount, options: run.modelOptions, ...(run.imported === undefined ? {} : { imported: run.imported }) },
      data: run.data.name,
      loss: lossLabel(run.loss),
      n: (spec as { n?: number }).n,
      seed: config.seed,
      backend: run.backend.name,
      weights: options.weights !== undefined ? { checkpoint: options.weights.source } : { initialization: { seed: config.seed } },
      ...m.summary,
      ...(m.gram !== undefined ? { gramFile: gramFileEntry(m.gram.size) } : {}),
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
