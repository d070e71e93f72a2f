import { ConfigError, gatherBatch, type Dataset } from '@overparam/core';
import { z } from 'zod';
import { gradientGram } from '../gram/engine';
import { gramMethods, gramOfs, ntkOutputModes, type GramMethod, type GramOf, type GramResult } from '../gram/types';
import { DEFAULT_GRAM_EXAMPLES, defineMetric, rngFor, sampleRows, scheduleKeys, scheduleOf, withBatch, type MeasureContext } from '../metric-definition';

/** Trace, extreme entries and provenance of a Gram: what a record or measure.json says of it. */
export function gramSummary(g: GramResult): Record<string, unknown> {
  let trace = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < g.size; i++) trace += g.matrix[i * g.size + i]!;
  for (const v of g.matrix) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const layers = g.layers?.map((l) => ({ path: l.path, kind: l.kind, trace: Array.from({ length: g.size }, (_, i) => l.matrix[i * g.size + i]!).reduce((a, b) => a + b, 0) }));
  return {
    of: g.of,
    size: g.size,
    trace,
    minEntry: min,
    maxEntry: max,
    method: g.method,
    training: g.training,
    params: g.params.length,
    ...(g.fallbackReason ? { fallbackReason: g.fallbackReason } : {}),
    ...(layers ? { layers } : {}),
  };
}

/** n distinct training rows from the measurement's stream; too many is the spec's `n` at fault. */
export function measureRows(ctx: Pick<MeasureContext, 'data' | 'rng'>, n: number): Int32Array {
  checkExamples(n, ctx.data);
  return ctx.rng.sampleWithoutReplacement(ctx.data.train.n, n);
}

export function checkExamples(n: number | undefined, data: Dataset): void {
  if (n !== undefined && n > data.train.n) throw new ConfigError('n', `${n} exceeds the ${data.train.n} training examples of '${data.name}'`);
}

/** The Gram engine's options as a metric spec names them. */
export interface GramSpecOptions {
  readonly of: GramOf;
  readonly outputs?: (typeof ntkOutputModes)[number];
  readonly method?: GramMethod;
  readonly layers: boolean;
}

/** The Gram of the given rows, as the Gram metrics of a one-shot measurement compute it, with progress. */
export async function measureGram(ctx: MeasureContext, rows: Int32Array, options: GramSpecOptions): Promise<GramResult> {
  const batch = gatherBatch(ctx.data, [{ split: ctx.data.train, indices: rows }], false);
  try {
    return await gradientGram(ctx.model, batch, {
      of: options.of,
      loss: ctx.loss,
      ...(options.outputs ? { outputs: options.outputs } : {}),
      ...(options.method ? { method: options.method } : {}),
      perLayer: options.layers,
      ...(ctx.progress ? { onProgress: (done: number, total: number) => ctx.progress!('Gram', done, total) } : {}),
    });
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
}

/**
 * The Gram engine's own keys, shared by the metrics built on one Gram (spectrum, confusion).
 * Optional there (absent: the engine's `auto` and `trace`), so that a config written before they
 * existed resolves to the same config, and its hash, as before; `gram` fills them in.
 */
export const gramKeys = {
  /** `auto` (fast path where every layer has one, else the per-example loop), `fast` or `loop`. */
  method: z.enum(gramMethods).optional(),
  /** An NTK of k outputs as its n×n `trace` or the full kn×kn matrix. */
  outputs: z.enum(ntkOutputModes).optional(),
};

/** Which examples and which Gram: the keys `gram` and `spectrum` share, with one default each. */
export const gramSampleKeys = {
  /** How many training examples (the Gram is n×n). */
  n: z.number().int().min(1).default(DEFAULT_GRAM_EXAMPLES),
  /** `output`: the empirical NTK (Du et al.'s G); `loss`: the loss Gram. */
  of: z.enum(gramOfs).default('output'),
};

/**
 * The gradient Gram G_ij = ⟨∇f_i, ∇f_j⟩ of n training examples itself: `of: loss` compares the
 * per-example loss gradients (what gradient confusion is built on), `of: output` the output
 * gradients (the empirical NTK). During training its record is the Gram's trace and extreme
 * entries; a one-shot measurement also writes the matrix (gram.f64).
 */
export const gramMetric = defineMetric({
  name: 'gram',
  schema: z.strictObject({
    name: z.literal('gram'),
    ...scheduleKeys,
    ...gramSampleKeys,
    method: gramKeys.method.unwrap().default('auto'),
    outputs: gramKeys.outputs.unwrap().default('trace'),
    /** Each layer's trace too. */
    layers: z.boolean().default(false),
    /** Fix the examples across measurements (drawn once from this seed); default fresh ones each time. */
    seed: z.number().int().optional(),
  }),
  hook: (spec) => ({
    name: spec.name,
    schedule: scheduleOf(spec),
    run(ctx) {
      const started = Date.now();
      return withBatch(ctx.data, sampleRows(ctx.data, spec.n, rngFor(ctx, spec.seed, spec.name), spec.name), async (batch) => {
        const g = await gradientGram(ctx.model, batch, { of: spec.of, loss: ctx.loss, outputs: spec.outputs, method: spec.method, perLayer: spec.layers });
        return { n: spec.n, ...gramSummary(g), seconds: (Date.now() - started) / 1000 };
      });
    },
  }),
  async measure(spec, ctx) {
    const rows = measureRows(ctx, spec.n);
    const g = await measureGram(ctx, rows, spec);
    return { summary: gramSummary(g), gram: g, rows };
  },
  requirements: (spec, data) => checkExamples(spec.n, data),
  needsLoss: (spec) => spec.of === 'loss',
  doc: {
    measures: 'the gradient Gram G_ij = ⟨∇f_i, ∇f_j⟩ of n training examples: of per-example losses (`of: loss`) or outputs (`of: output`, the empirical NTK); `overparam measure` also writes the matrix',
    options: `\`n\` (${DEFAULT_GRAM_EXAMPLES}), \`of\` (\`output\`; or \`loss\`), \`outputs\` (\`trace\`; or \`full\`), \`method\` (\`auto\`; \`fast\`, \`loop\`), \`layers\` (false), \`seed\``,
    record: '`n`, `of`, `size`, `trace`, `minEntry`, `maxEntry`, `method`, `training`, `params`, `fallbackReason` (when `auto` fell back to the loop), `layers` (with `layers`: each layer\'s `path`, `kind`, `trace`), `seconds`',
  },
});
