import { createRng, type Dataset } from '@overparam/core';
import { measureMetric, type MeasureContext, type MetricSpec } from '@overparam/metrics';
import type { PreparedRun } from '../run/prepare';

/** The examples a measurement used: rows of the training split, as the model received them. */
export interface MeasuredExamples {
  readonly indices: Int32Array;
  readonly inputs: Float32Array;
  readonly inputShape: readonly number[];
  /** Class labels (classification) or real targets (regression), row-major. */
  readonly targets: Int32Array | Float32Array;
  /** The minibatch pairs, as indices into the split. */
  readonly pairs?: ReadonlyArray<readonly [Int32Array, Int32Array]>;
}

export interface Measurement {
  readonly summary: Record<string, unknown>;
  readonly gram?: { readonly size: number; readonly matrix: Float64Array };
  /** Absent for a metric that draws no examples of its own (full-loss, balancedness, …). */
  readonly examples?: MeasuredExamples;
}

export interface MeasureOptions {
  /** Draws the examples (the run's seed): the same seed, model and spec give the same numbers. */
  readonly seed: number;
  readonly progress?: MeasureContext['progress'];
}

function examplesAt(data: Dataset, indices: Int32Array): MeasuredExamples {
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  const inputs = new Float32Array(indices.length * size);
  indices.forEach((r, i) => inputs.set(data.train.x.subarray(r * size, (r + 1) * size), i * size));
  const dim = data.task === 'classification' ? 1 : (data.targetDim ?? data.train.y.length / data.train.n);
  const targets = data.task === 'classification' ? new Int32Array(indices.length) : new Float32Array(indices.length * dim);
  indices.forEach((r, i) => targets.set(data.train.y.subarray(r * dim, (r + 1) * dim), i * dim));
  return { indices, inputs, inputShape: data.inputShape, targets };
}

/**
 * Measures one metric, named and specified as `train --metric` names it, on a prepared run (its
 * model as initialized or as loaded from a checkpoint); the metric's definition does the work.
 */
export async function measure(run: PreparedRun, spec: MetricSpec, options: MeasureOptions): Promise<Measurement> {
  const rng = createRng(options.seed).fork('measure');
  const m = await measureMetric(spec, { model: run.model, data: run.data, loss: run.loss, rng, ...(options.progress ? { progress: options.progress } : {}) });
  const examples = m.rows === undefined ? undefined : { ...examplesAt(run.data, m.rows), ...(m.pairs ? { pairs: m.pairs } : {}) };
  return { summary: m.summary, ...(m.gram ? { gram: m.gram } : {}), ...(examples ? { examples } : {}) };
}
