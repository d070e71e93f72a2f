import type { HookContext, Rng } from '@overparam/core';
import { z } from 'zod';
import { cosineFields, gradientConfusion } from '../confusion';
import { gradientGram } from '../gram/engine';
import { DEFAULT_GRAM_EXAMPLES, defineMetric, finite, positiveInt, rngFor, sampleRows, scheduleKeys, scheduleOf, withBatch, type MeasureContext } from '../metric-definition';
import type { GramMethod } from '../gram/types';
import { checkExamples, gramKeys, gramSummary, measureGram, measureRows } from './gram';
import { checkPairSize, DEFAULT_PAIR_BATCH_SIZE, measurePairs, pairConfusion } from './minibatch-confusion';

async function exampleConfusion(ctx: HookContext, n: number, rng: Rng, method: GramMethod | undefined) {
  const started = Date.now();
  return withBatch(ctx.data, sampleRows(ctx.data, n, rng, 'confusion'), async (batch) => {
    const g = await gradientGram(ctx.model, batch, { loss: ctx.loss, ...(method ? { method } : {}) });
    const c = gradientConfusion(g);
    return {
      n,
      eta: c.eta,
      minInner: c.minInner,
      averagedInner: c.averagedInner,
      etaNormalized: finite(c.etaNormalized),
      ...cosineFields(c.cosines),
      method: g.method,
      training: g.training,
      seconds: (Date.now() - started) / 1000,
    };
  });
}

/** Per-example confusion of n examples, with the loss Gram it comes from (measure.json and gram.f64). */
async function measureExamples(ctx: MeasureContext, n: number, method: GramMethod | undefined) {
  const rows = measureRows(ctx, n);
  const g = await measureGram(ctx, rows, { of: 'loss', ...(method ? { method } : {}), layers: false });
  const c = gradientConfusion(g);
  return {
    summary: { ...gramSummary(g), eta: c.eta, minInner: c.minInner, averagedInner: c.averagedInner, etaNormalized: finite(c.etaNormalized), ...cosineFields(c.cosines), undefinedPairs: c.undefinedPairs },
    gram: g,
    rows,
  };
}

export const confusionMetric = defineMetric({
  name: 'confusion',
  schema: z
    .strictObject({
      name: z.literal('confusion'),
      ...scheduleKeys,
      /** Per-example confusion from the loss Gram of `n` training examples (default 256) … */
      n: z.number().int().min(2).optional(),
      /** … or, with `pairs`, the paper's protocol: that many pairs of minibatches (see minibatch-confusion). */
      pairs: positiveInt.optional(),
      batchSize: positiveInt.optional(),
      /** Fix the examples across measurements (drawn once from this seed); default fresh ones each time. */
      seed: z.number().int().optional(),
      /** The Gram engine's path for the per-example Gram. */
      method: gramKeys.method,
    })
    .superRefine((v, ctx) => {
      if (v.n !== undefined && v.pairs !== undefined) ctx.addIssue({ code: 'custom', path: ['pairs'], message: 'give either n (per-example confusion) or pairs (minibatch pairs), not both' });
      if (v.batchSize !== undefined && v.pairs === undefined) ctx.addIssue({ code: 'custom', path: ['batchSize'], message: 'only applies with pairs (the minibatch-pair protocol)' });
    })
    .transform((v) => (v.pairs !== undefined ? { ...v, batchSize: v.batchSize ?? DEFAULT_PAIR_BATCH_SIZE } : { ...v, n: v.n ?? DEFAULT_GRAM_EXAMPLES })),
  hook: (spec) => ({
    name: spec.name,
    schedule: scheduleOf(spec),
    run: (ctx) => {
      const rng = rngFor(ctx, spec.seed, spec.name);
      return spec.pairs !== undefined ? pairConfusion(ctx, spec.pairs, spec.batchSize ?? DEFAULT_PAIR_BATCH_SIZE, rng, 'direct') : exampleConfusion(ctx, spec.n ?? DEFAULT_GRAM_EXAMPLES, rng, spec.method);
    },
  }),
  measure: (spec, ctx) => (spec.pairs !== undefined ? measurePairs(ctx, spec.pairs, spec.batchSize ?? DEFAULT_PAIR_BATCH_SIZE, 'direct') : measureExamples(ctx, spec.n ?? DEFAULT_GRAM_EXAMPLES, spec.method)),
  requirements: (spec, data) => (spec.pairs !== undefined ? checkPairSize(spec.batchSize ?? DEFAULT_PAIR_BATCH_SIZE, data) : checkExamples(spec.n, data)),
  needsLoss: true,
  doc: {
    measures: 'gradient confusion (Sankararaman et al. (2020) Definition 2.1) from the loss Gram of n training examples, or by the minibatch-pair protocol',
    options: `\`n\` (${DEFAULT_GRAM_EXAMPLES}): per-example confusion of n fresh training examples (\`method\`: the Gram engine's, \`auto\`); or \`pairs\` (+ \`batchSize\`, 128): the minibatch protocol; \`seed\` fixes the examples`,
    record: '`n`, `eta`, `minInner`, `averagedInner`, `etaNormalized`, `cosines`, `minCos`, `meanCos`, `medianCos`, `maxCos`, `fractionNegative`, `cosP05`…`cosP95`, `method`, `training`, `seconds` (with `pairs`: as minibatch-confusion)',
  },
});
