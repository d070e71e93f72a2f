import { createRng, gatherBatch, type Dataset, type Hook, type HookContext, type HookSchedule, type Loss, type Model, type Rng, type Tensor } from '@overparam/core';
import { z } from 'zod';

/**
 * What a training metric is, in one plain object (the style of tfjs's op and kernel registries):
 * its run-config schema, the hook it builds from a checked spec, what it demands of the data set,
 * whether it uses the run's loss, and how the README describes it. Each metric is one file under
 * `src/metrics/` exporting one of these; `src/registry.ts` lists them, and the spec schema, the
 * hook names, the hooks and the requirement checks are all derived from that list.
 */
export interface MetricDefinition<Schema extends MetricSchema = MetricSchema> {
  /** The record kind in metrics.jsonl and the `name` of the spec (`--metric name:key=value`). */
  readonly name: z.output<Schema>['name'];
  /** A strict zod object with `name: z.literal(name)` and the schedule keys (see `scheduleKeys`). */
  readonly schema: Schema;
  /** The training hook for one checked spec. */
  hook(spec: z.output<Schema>): Hook;
  /**
   * What the data set must offer, checked before training starts; throws a `ConfigError` whose
   * field is the spec's key (`n`, `batchSize`), which the caller prefixes with `metrics.<i>.`.
   */
  requirements?(spec: z.output<Schema>, data: Dataset): void;
  /** Whether the measurement uses the run's loss; loss-free ones (the NTK, the inputs) do not. */
  readonly needsLoss: boolean | ((spec: z.output<Schema>) => boolean);
  /**
   * One measurement of a model as it is (`overparam measure`, at initialization or from a
   * checkpoint), with what the measurement files need beyond the numbers: the Gram, the rows used.
   * Absent: the hook, run once. A string: why the metric has no meaning outside a training run
   * (the measurement is refused with it before any work).
   */
  readonly measure?: ((spec: z.output<Schema>, ctx: MeasureContext) => Promise<MetricMeasurement>) | string;
  /** For the README's table (a test checks it lists every metric): what it measures, its options, its record. */
  readonly doc: { readonly measures: string; readonly options: string; readonly record: string };
}

/** What a one-shot measurement works on: the model as it is, and the stream its examples are drawn from. */
export interface MeasureContext {
  readonly model: Model;
  readonly data: Dataset;
  readonly loss: Loss;
  readonly rng: Rng;
  /** Told as long work advances (`stage` names it: 'Gram', 'eigenvalues', 'pairs'); for a progress display only. */
  readonly progress?: (stage: string, done: number, total: number) => void;
}

/** A one-shot measurement: the numbers for measure.json, and the matrix and examples behind them. */
export interface MetricMeasurement {
  readonly summary: Record<string, unknown>;
  /** The matrix the numbers come from (a Gram, K⁽ᴴ⁾), n × n row-major float64. */
  readonly gram?: { readonly size: number; readonly matrix: Float64Array };
  /** The training rows measured, in the order of the Gram's rows. */
  readonly rows?: Int32Array;
  /** Minibatch pairs, as rows of the training split. */
  readonly pairs?: ReadonlyArray<readonly [Int32Array, Int32Array]>;
}

/** A metric's spec schema: its output names the metric. */
export type MetricSchema = z.ZodType<{ readonly name: string } & ScheduleSpec>;

/** Ties a definition's spec type to its schema's output, so `hook(spec)` is typed per metric. */
export function defineMetric<Schema extends MetricSchema>(definition: MetricDefinition<Schema>): MetricDefinition<Schema> {
  return definition;
}

export const positiveInt = z.number().int().min(1);

/** Examples per Gram unless a spec says otherwise (the Gram is n × n; 256 keeps the loop path in seconds). */
export const DEFAULT_GRAM_EXAMPLES = 256;

/** The schedule keys every metric takes; a metric may override a default (e.g. `start: true`). */
export const scheduleKeys = {
  /** Every this many optimizer steps. */
  every: positiveInt.optional(),
  /** At the end of every this many epochs (the paper measures at the end of every epoch). */
  epochs: positiveInt.optional(),
  /** Also at initialization, before the first step. */
  start: z.boolean().default(false),
  /** Also after the last step (the papers' "at the end of training"). */
  end: z.boolean().default(true),
};

export interface ScheduleSpec {
  readonly every?: number;
  readonly epochs?: number;
  readonly start: boolean;
  readonly end: boolean;
}

export function scheduleOf(spec: ScheduleSpec): HookSchedule {
  return { everySteps: spec.every, everyEpochs: spec.epochs, atStart: spec.start, atEnd: spec.end };
}

/** JSON has no NaN or Infinity; write null so a reader sees "not defined" rather than a silent 0. */
export const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** n distinct training examples: fixed by `seed` when given, else fresh from the hook's stream. */
export function sampleRows(data: Dataset, n: number, rng: Rng, name: string): Int32Array {
  if (n > data.train.n) throw new RangeError(`${name}: n = ${n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  return rng.sampleWithoutReplacement(data.train.n, n);
}

/** A fixed seed gives the same draw every time; otherwise the hook's per-step stream is used. */
export function rngFor(ctx: Pick<HookContext, 'rng'>, seed: number | undefined, name: string): Rng {
  return seed === undefined ? ctx.rng : createRng(`${name}/${seed}`);
}

/** Runs `f` on the gathered rows and disposes the batch's tensors whatever happens. */
export async function withBatch<T>(data: Dataset, rows: Int32Array, f: (batch: { x: Tensor; y: Tensor }) => Promise<T>): Promise<T> {
  const batch = gatherBatch(data, [{ split: data.train, indices: rows }], false);
  try {
    return await f(batch);
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
}
