import { ConfigError, type Dataset, type HookContext, type Rng } from '@overparam/core';
import { z } from 'zod';
import { cosineFields } from '../confusion';
import { defineMetric, finite, positiveInt, rngFor, scheduleKeys, scheduleOf, type MeasureContext, type MetricMeasurement } from '../metric-definition';
import { minibatchConfusion, minibatchMethods, type MinibatchMethod } from '../minibatch';

/** The paper's minibatch size (Sankararaman et al. (2020), §7), shared with `confusion:pairs=…`. */
export const DEFAULT_PAIR_BATCH_SIZE = 128;

/** The protocol of Sankararaman et al. (2020), §7: `pairs` pairs of disjoint minibatches, each pair's gradient cosine. */
export async function pairConfusion(ctx: HookContext, pairs: number, batchSize: number, rng: Rng, method: MinibatchMethod, values = false) {
  const started = Date.now();
  const m = await minibatchConfusion(ctx.model, ctx.data, { pairs, batchSize, loss: ctx.loss, rng, method });
  return {
    pairs,
    batchSize,
    eta: m.eta,
    etaNormalized: finite(m.etaNormalized),
    ...cosineFields(m.summary),
    ...(values ? { cosineValues: Array.from(m.cosines, finite) } : {}),
    method,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The protocol once, with every pair's cosine and the pairs' rows (measure.json and examples.json). */
export async function measurePairs(ctx: MeasureContext, pairs: number, batchSize: number, method: MinibatchMethod): Promise<MetricMeasurement> {
  const m = await minibatchConfusion(ctx.model, ctx.data, { pairs, batchSize, loss: ctx.loss, rng: ctx.rng, method });
  return {
    summary: { pairs: m.pairs, batchSize: m.batchSize, method, eta: m.eta, etaNormalized: finite(m.etaNormalized), ...cosineFields(m.summary), cosineValues: Array.from(m.cosines, finite) },
    rows: Int32Array.from(new Set(m.rows.flatMap((r) => Array.from(r)))).sort(),
    pairs: m.rows.map((r) => [r.subarray(0, m.batchSize), r.subarray(m.batchSize)] as const),
  };
}

/** A pair of minibatches needs 2·batchSize distinct examples. */
export function checkPairSize(batchSize: number, data: Dataset): void {
  if (2 * batchSize > data.train.n) {
    throw new ConfigError('batchSize', `a pair of minibatches of ${batchSize} needs ${2 * batchSize} distinct examples, but '${data.name}' has ${data.train.n}`);
  }
}

export const minibatchConfusionMetric = defineMetric({
  name: 'minibatch-confusion',
  schema: z.strictObject({
    name: z.literal('minibatch-confusion'),
    ...scheduleKeys,
    pairs: positiveInt.default(100),
    batchSize: positiveInt.default(DEFAULT_PAIR_BATCH_SIZE),
    method: z.enum(minibatchMethods).default('direct'),
    seed: z.number().int().optional(),
    /** Also write every pair's cosine (`cosineValues`), e.g. for the KDE the paper pools over runs. */
    values: z.boolean().default(false),
  }),
  hook: (spec) => ({ name: spec.name, schedule: scheduleOf(spec), run: (ctx) => pairConfusion(ctx, spec.pairs, spec.batchSize, rngFor(ctx, spec.seed, spec.name), spec.method, spec.values) }),
  measure: (spec, ctx) => measurePairs(ctx, spec.pairs, spec.batchSize, spec.method),
  requirements: (spec, data) => checkPairSize(spec.batchSize, data),
  needsLoss: true,
  doc: {
    measures: "Sankararaman et al. (2020), §7's protocol: the cosine of the mean-loss gradients of `pairs` pairs of disjoint minibatches",
    options: `\`pairs\` (100), \`batchSize\` (128), \`method\` (${minibatchMethods.map((m) => `\`${m}\``).join(', ')}; default \`direct\`, \`batched\` is the fastest for dense nets), \`seed\`, \`values\` (false: also write every pair's cosine, \`cosineValues\`, for a pooled KDE)`,
    record: '`pairs`, `batchSize`, `eta`, `etaNormalized`, `cosines`, `minCos`, `meanCos`, `medianCos`, `maxCos`, `fractionNegative`, `cosP05`…`cosP95`, `method`, `seconds`',
  },
});
