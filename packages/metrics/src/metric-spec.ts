import { ConfigError } from '@overparam/core';
import { z } from 'zod';

/**
 * Metrics as a run config names them: `{ name: 'confusion', every: 500, pairs: 100 }`, or on the
 * command line `confusion:every=500,pairs=100`. The schedule keys are shared; the rest belong to
 * the metric. Defaults are filled in here, so a run's config.json shows what was measured.
 */
const positiveInt = z.number().int().min(1);

const schedule = {
  /** Every this many optimizer steps. */
  every: positiveInt.optional(),
  /** At the end of every this many epochs (the paper measures at the end of every epoch). */
  epochs: positiveInt.optional(),
  /** Also at initialization, before the first step. */
  start: z.boolean().default(false),
  /** Also after the last step (the papers' "at the end of training"). */
  end: z.boolean().default(true),
};

const confusionSchema = z
  .strictObject({
    name: z.literal('confusion'),
    ...schedule,
    /** Per-example confusion from the loss Gram of `n` training examples (default 256) … */
    n: z.number().int().min(2).optional(),
    /** … or, with `pairs`, the paper's protocol: that many pairs of minibatches (see minibatch-confusion). */
    pairs: positiveInt.optional(),
    batchSize: positiveInt.optional(),
    /** Fix the examples across measurements (drawn once from this seed); default fresh ones each time. */
    seed: z.number().int().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.n !== undefined && v.pairs !== undefined) ctx.addIssue({ code: 'custom', path: ['pairs'], message: 'give either n (per-example confusion) or pairs (minibatch pairs), not both' });
    if (v.batchSize !== undefined && v.pairs === undefined) ctx.addIssue({ code: 'custom', path: ['batchSize'], message: 'only applies with pairs (the minibatch-pair protocol)' });
  })
  .transform((v) => (v.pairs !== undefined ? { ...v, batchSize: v.batchSize ?? 128 } : { ...v, n: v.n ?? 256 }));

const minibatchSchema = z.strictObject({
  name: z.literal('minibatch-confusion'),
  ...schedule,
  pairs: positiveInt.default(100),
  batchSize: positiveInt.default(128),
  method: z.enum(['direct', 'gram']).default('direct'),
  seed: z.number().int().optional(),
  /** Also write every pair's cosine (`cosineValues`), e.g. for the KDE the paper pools over runs. */
  values: z.boolean().default(false),
});

const spectrumSchema = z.strictObject({
  name: z.literal('spectrum'),
  ...schedule,
  n: z.number().int().min(1).default(256),
  /** `output`: the empirical NTK (Du et al.'s G); `loss`: the loss Gram. */
  of: z.enum(['output', 'loss']).default('output'),
  /** Per-layer trace shares. */
  layers: z.boolean().default(false),
  /** Write every eigenvalue into the record, not only λ_min, λ_max, κ. */
  eigenvalues: z.boolean().default(false),
  /** The examples are fixed across measurements, drawn once from this seed, so G(k) is comparable over k. */
  seed: z.number().int().default(0),
});

const movementSchema = z.strictObject({ name: z.literal('weight-movement'), ...schedule });

const balancednessSchema = z.strictObject({
  name: z.literal('balancedness'),
  ...schedule,
  /** At initialization too, by default: the start is where eq. 7 is imposed, and a model that is not a linear chain fails before training. */
  start: z.boolean().default(true),
  /** Write W_e's entries as well as its singular values. */
  matrix: z.boolean().default(true),
});

/** Once, at the start: the run's loss is not needed before that, and the optimum does not change. */
const optimalLossSchema = z.strictObject({ name: z.literal('optimal-loss'), ...schedule, start: z.boolean().default(true), end: z.boolean().default(false) });

export const metricHookNames = ['confusion', 'minibatch-confusion', 'spectrum', 'weight-movement', 'balancedness', 'optimal-loss'] as const;

export const metricSpecSchema = z.discriminatedUnion('name', [confusionSchema, minibatchSchema, spectrumSchema, movementSchema, balancednessSchema, optimalLossSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `unknown metric '${String((issue.input as { name?: unknown } | undefined)?.name)}'; expected one of: ${metricHookNames.join(', ')}` : undefined,
});

export type MetricSpec = z.output<typeof metricSpecSchema>;
export type MetricSpecInput = z.input<typeof metricSpecSchema>;

/** A run's `metrics` list: each spec checked, and each metric at most once (a record's kind is its name). */
export const metricListSchema = z.array(metricSpecSchema).superRefine((specs, ctx) => {
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    if (seen.has(spec.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `'${spec.name}' is listed twice; its records would be indistinguishable` });
    seen.add(spec.name);
  });
});

/** Checks a list of metric specs; the error names the field as `metrics.<i>.<key>`. */
export function parseMetricSpecs(input: unknown, field = 'metrics'): MetricSpec[] {
  const result = metricListSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') throw new ConfigError([field, ...issue.path.map(String), issue.keys[0]!].join('.'), 'is not a known option of this metric');
    throw new ConfigError([field, ...issue.path.map(String)].join('.'), issue.message);
  }
  return result.data;
}

/**
 * `confusion:every=500,pairs=100` → `{ name: 'confusion', every: 500, pairs: 100 }`. Values that
 * read as numbers become numbers, `true`/`false` booleans, a bare key `true`; the schema then
 * checks them.
 */
export function parseMetricFlag(text: string): Record<string, unknown> {
  const [name, rest] = text.includes(':') ? [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)] : [text, ''];
  const spec: Record<string, unknown> = { name: name.trim() };
  for (const part of rest.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const raw = eq < 0 ? 'true' : part.slice(eq + 1).trim();
    if (key === '' || key === 'name') throw new ConfigError('metrics', `cannot read '${part}' in '${text}'; write name:key=value,key=value`);
    spec[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return spec;
}

/**
 * `--metric` flags → specs, each checked on its own so an error quotes the flag as written and
 * names the key: `in 'spectrum:every=0': every: Too small: expected number to be >=1`.
 */
export function parseMetricFlags(texts: readonly string[]): Array<Record<string, unknown>> {
  return texts.map((text) => {
    const spec = parseMetricFlag(text);
    try {
      parseMetricSpecs([spec]);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const key = e.field.split('.').slice(2).join('.');
      const detail = e.message.slice(e.field.length + 2);
      throw new ConfigError('metrics', `in '${text}': ${key === '' || key === 'name' ? '' : `${key}: `}${detail}`);
    }
    return spec;
  });
}
