import { ConfigError, createRng, evaluate, type Dataset, type Evaluation, type Loss, type LossName, type Model, type Split } from '@overparam/core';
import { z } from 'zod';
import { defineMetric, scheduleKeys, scheduleOf } from '../metric-definition';

/**
 * The loss on the whole training split, in evaluation mode (batch-norm on its running
 * statistics): Sankararaman et al. (2020), figure 1 plots this full training loss, not the mean minibatch loss of a
 * logging window. With `n`, a fixed subset drawn once from `seed` stands in for the split.
 */

export interface FullLossOptions {
  /** Evaluate on n training examples drawn (without replacement) from `seed` instead of all of them. */
  readonly n?: number;
  readonly seed?: number;
  /** Examples per forward pass; memory, not the result, depends on it. Default 1000. */
  readonly chunk?: number;
}

/** The rows `n` and `seed` select, as a split of their own (the same rows every time). */
export function fixedSubset(data: Dataset, n: number, seed: number): Split {
  if (n > data.train.n) throw new ConfigError('n', `${n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  const rows = createRng(`full-loss/${seed}`).sampleWithoutReplacement(data.train.n, n);
  const xSize = data.train.x.length / data.train.n;
  const ySize = data.train.y.length / data.train.n;
  const x = new Float32Array(n * xSize);
  const y = data.train.y instanceof Int32Array ? new Int32Array(n * ySize) : new Float32Array(n * ySize);
  rows.forEach((r, i) => {
    x.set(data.train.x.subarray(r * xSize, (r + 1) * xSize), i * xSize);
    y.set(data.train.y.subarray(r * ySize, (r + 1) * ySize), i * ySize);
  });
  return { x, y, n };
}

/** Mean loss (and accuracy, for classification) over the training split or its fixed subset. */
export function fullLoss(model: Model, data: Dataset, loss: Loss | LossName, options: FullLossOptions = {}): Promise<Evaluation> {
  const split = options.n === undefined ? data.train : fixedSubset(data, options.n, options.seed ?? 0);
  return evaluate(model, data, split, loss, options.chunk ?? 1000);
}

export const fullLossMetric = defineMetric({
  name: 'full-loss',
  schema: z.strictObject({
    name: z.literal('full-loss'),
    ...scheduleKeys,
    /** At initialization too: the curve starts at the loss of the initial weights. */
    start: z.boolean().default(true),
    /** A fixed subset of this many training examples instead of the whole split. */
    n: z.number().int().min(1).optional(),
    /** Draws the subset (only with `n`). */
    seed: z.number().int().default(0),
  }),
  hook: (spec) => ({
    name: spec.name,
    schedule: scheduleOf(spec),
    async run(ctx) {
      // The subset comes from `seed` alone, so every measurement sees the same examples.
      const e = await fullLoss(ctx.model, ctx.data, ctx.loss, { n: spec.n, seed: spec.seed });
      return { loss: e.loss, n: e.n, ...(e.accuracy !== undefined ? { accuracy: e.accuracy } : {}) };
    },
  }),
  requirements: (spec, data) => {
    if (spec.n !== undefined && spec.n > data.train.n) throw new ConfigError('n', `${spec.n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  },
  needsLoss: true,
  doc: {
    measures: 'the mean loss on the whole training split (or a fixed subset), in evaluation mode: the full training loss of Sankararaman et al. (2020), fig. 1, not the windowed minibatch loss',
    options: '`start` (default **true**), `n` (all: a fixed subset of n examples instead), `seed` (0: draws that subset once)',
    record: '`loss`, `n`, `accuracy` (classification only)',
  },
});
