import { DEFAULT_FACTOR_INIT, defaultDataShape, factorInitNames, getArchitecture, optionsFromData } from '@overparam/architectures';
import { ConfigError, DEFAULT_DIVERGENCE_FACTOR, lossNames, lossSpec, optimizerNames, UnknownNameError, type LossName } from '@overparam/core';
import { dataSetNames, parseDataOptions } from '@overparam/data';
import { metricListSchema } from '@overparam/metrics';
import { defaultLoss } from './loss';
import { modelFileDigest, resolveModelPath } from './model-file';
import { z } from 'zod';

/**
 * The run config: everything that decides a run's numbers, validated before anything is trained
 * or written. Every default is stated here once; the CLI and config.json both show the resolved
 * values, so a run directory says exactly what ran.
 */


function oneOf(kind: string, allowed: readonly string[]) {
  return (issue: { input?: unknown }) => `unknown ${kind} '${String(issue.input)}'; expected one of: ${allowed.join(', ')}`;
}

const probability = z.number().gt(0).lt(1);

/** The batch size that means full-batch gradient descent. */
export const FULL_BATCH = 'full';

const batchSizeError = `expected a positive integer or '${FULL_BATCH}' (full-batch gradient descent)`;

/** The examples per step a config asks for, on a training split of `n` examples. */
export function stepBatchSize(config: { readonly batchSize: number | typeof FULL_BATCH }, n: number): number {
  return config.batchSize === FULL_BATCH ? n : config.batchSize;
}

/** The network a run gets when it names none: MLP-3-100, the MNIST baseline of Sankararaman et al. */
export const DEFAULT_ARCH = 'mlp';
/**
 * Options an architecture gets from us when the config leaves them out, beyond its own schema's
 * defaults: the sizes of that baseline for the fully connected nets (MLP-3-100, a 3-layer deep
 * linear net), and the smallest Wide ResNet (WRN-10-1, one block per group). Applied whenever the
 * config's arch is the one named here; `--help` shows them.
 */
export const ARCH_OPTION_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  mlp: { depth: 3, width: 100 },
  'du-mlp': { depth: 3, width: 100 },
  'du-resnet': { depth: 3, width: 100 },
  'deep-linear': { depth: 3 },
  wrn: { depth: 10, widthFactor: 1 },
  cnn: { depth: 10, widthFactor: 1 },
};

const weightDecay = z.number().min(0).describe('L2 weight decay λ (absent: 0; end-to-end: the (1 − ηλN) factor)');
const epsilon = z.number().positive().describe('ε of the update denominator');

const optimizerSchema = z.discriminatedUnion(
  'name',
  [
    z.strictObject({
      name: z.literal('sgd'),
      /** Heavy-ball momentum μ ∈ [0, 1); absent means 0, the papers' plain SGD. */
      momentum: z.number().min(0).lt(1).optional().describe('heavy-ball momentum μ (absent: 0)'),
      nesterov: z.boolean().optional().describe("Nesterov's form of the momentum step"),
      /** L2 weight decay λ ≥ 0 added to the gradient; absent means 0. */
      weightDecay: weightDecay.optional(),
    }),
    // Absent Adam/Adagrad/Adadelta options fall back to TensorFlow.js's own defaults.
    z.strictObject({ name: z.literal('adam'), beta1: probability.optional().describe('β₁ of Adam'), beta2: probability.optional().describe('β₂ of Adam'), epsilon: epsilon.optional() }),
    z.strictObject({ name: z.literal('adagrad'), initialAccumulatorValue: z.number().positive().optional().describe("Adagrad's initial accumulator value") }),
    z.strictObject({ name: z.literal('adadelta'), rho: probability.optional().describe('decay ρ of Adadelta'), epsilon: epsilon.optional() }),
    // Arora et al.'s (2018) end-to-end update rule on a single matrix (deep-linear with depth 1): GD on a virtual depth-N net.
    z.strictObject({
      name: z.literal('end-to-end'),
      virtualDepth: z.number().int().min(1).describe('N of the end-to-end rule (GD on a virtual depth-N linear net; train deep-linear with depth 1)'),
      weightDecay: weightDecay.optional(),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? oneOf('optimizer', optimizerNames)({ input: (issue.input as { name?: unknown } | undefined)?.name }) : undefined) },
);

const scheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('step'),
    /** The learning rate is multiplied by this at every milestone (0.1 in the WRN recipe). */
    factor: z.number().positive(),
    milestones: z.array(z.number().int().min(0)),
    /** Milestones count optimizer steps unless said otherwise, like `steps` does. */
    unit: z.enum(['step', 'epoch']).default('step'),
  }),
  z.strictObject({
    kind: z.literal('exponential'),
    /** lr · decayRate^(t / decaySteps): the TensorFlow MNIST tutorial decays by 0.95 per epoch. */
    decayRate: z.number().gt(0).max(1),
    decaySteps: z.number().int().min(1),
    unit: z.enum(['step', 'epoch']).default('step'),
    /** Decay in whole periods (t / decaySteps rounded down); needed with unit 'epoch'. */
    staircase: z.boolean().default(false),
  }),
]);

const baseSchema = z.strictObject({
  /** Registry name of the architecture (see `architectureNames()` of @overparam/architectures); the papers' MLP by default. */
  arch: z.string().default(DEFAULT_ARCH).describe('architecture'),
  /** The architecture's options, checked against its own schema; its defaults are filled in. */
  archOptions: z.record(z.string(), z.unknown()).default({}).describe("the architecture's options"),
  /** A TF.js Layers model's model.json (weight shards beside it) to train instead of `arch`; stored absolute (see model-file.ts). */
  model: z.string().min(1).optional().describe('a TF.js Layers model to use instead of an architecture: its model.json, weight shards beside it'),
  /** The SHA-256 of the model's files, recorded when the config is first read: part of the run's identity. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected the 64 hex digits of a SHA-256' }).optional().describe("SHA-256 of the model's files, recorded from them"),
  /**
   * Arora et al. (2018), §8: every trainable dense layer's matrix replaced by a product of `factors` matrices
   * (hidden widths min(in, out)); `factorInit` 'preserve' starts the product equal to the original
   * draw, 'paper' draws each factor like the original layer (appendix C.2). Absent or `factors: 1`:
   * the net as it is (so a sweep can grid over `overparameterize.factors: [1, 2]`).
   */
  overparameterize: z
    .strictObject({
      factors: z.number().int().min(1).describe('matrices each trainable dense layer becomes (1: the net as it is)'),
      factorInit: z.enum(factorInitNames, { error: oneOf('factor init', factorInitNames) }).default(DEFAULT_FACTOR_INIT).describe('how the factors are drawn'),
    })
    .optional()
    .describe('Arora et al. (2018), §8: dense layers as products of matrices'),
  /** The real digits; 'synthetic' is the download-free stand-in of the same shape. */
  data: z.enum(dataSetNames as [string, ...string[]], { error: oneOf('data set', dataSetNames) }).default('mnist').describe('data set'),
  /** Seeds the synthetic data sets only: 0 keeps the data fixed across run seeds, as real data is. */
  dataSeed: z.number().int().default(0).describe('seed of a synthetic data set'),
  /** Directory of a file-based data set (IDX files, CIFAR batches); `overparam data list` says which need one. */
  dataDir: z.string().min(1).optional().describe('directory holding a file-based data set; see `overparam data list`'),
  /** The table of the `csv` data set. */
  dataFile: z.string().min(1).optional().describe('CSV table of data set csv'),
  /** The data set's own options (sizes, split, teacher, subset, …), checked against its schema; its defaults are filled in. */
  dataOptions: z.record(z.string(), z.unknown()).default({}).describe("the data set's own options, e.g. d=120, trainSubset=1000, split=official, flatten=true"),
  /** Training-batch augmentation: 'wrn' pads by 4 pixels, crops back at random and flips (image data sets only). */
  augment: z.enum(['none', 'wrn'], { error: oneOf('augmentation', ['none', 'wrn']) }).default('none').describe('training-batch augmentation (wrn: pad 4, random crop, flip)'),
  /** The loss; 'square' uses one-hot targets for class labels. Absent: the data set's task decides (`defaultLoss`). */
  loss: z.enum(lossNames as [LossName, ...LossName[]], { error: oneOf('loss', lossNames) }).optional().describe('loss'),
  /** The exponent of loss 'lp' (an even integer ≥ 2; Arora et al. (2018) uses 2 and 4); only with that loss. */
  p: z.number().int().optional().describe('exponent of loss lp (an even integer ≥ 2)'),
  /** Plain SGD, as in the papers. */
  optimizer: optimizerSchema.default({ name: 'sgd' }).describe('optimizer'),
  /** Initial (or constant) learning rate; 0.05 trains MLP-3-100 on MNIST with SGD. */
  lr: z.number().positive().default(0.05).describe('learning rate'),
  /** Absent means a constant learning rate. */
  schedule: scheduleSchema.optional().describe('learning-rate schedule (absent: constant)'),
  /** Optimizer steps; 0 evaluates the initialization only. */
  steps: z.number().int().min(0).default(2000).describe('optimizer steps'),
  /** The papers' minibatch size; 'full' is full-batch gradient descent (every step sees the whole training split, as in Du et al.). */
  batchSize: z.union([z.number({ error: batchSizeError }).int({ error: batchSizeError }).min(1, { error: batchSizeError }), z.literal(FULL_BATCH, { error: batchSizeError })]).default(128).describe(`examples per minibatch, or '${FULL_BATCH}' for every training example`),
  /** Fresh permutation per epoch, as the experiments do; 'with-replacement' matches the theory. */
  sampling: z.enum(['shuffled-epochs', 'with-replacement'], { error: oneOf('sampling', ['shuffled-epochs', 'with-replacement']) }).default('shuffled-epochs').describe('how minibatches are drawn'),
  /** Seeds the initial weights and the minibatch stream. */
  seed: z.number().int().default(0).describe('seed of the initial weights and the minibatch order'),
  /** 'auto' takes the fastest backend that loads here (node > wasm > cpu in Node). */
  backend: z.string().min(1).default('auto').describe('tensor backend'),
  /** One metrics.jsonl `train` record (mean minibatch loss) per this many steps. */
  logEvery: z.number().int().min(1).default(50).describe('steps per metrics.jsonl train record'),
  /** Measurements taken during training (gradient confusion, spectra, …), each a record kind in metrics.jsonl; see @overparam/metrics. */
  metrics: metricListSchema.default([]).describe('measurements taken during training'),
  /** A minibatch loss above this many times the first one ends the run as diverged; null: only a non-finite loss does. */
  divergenceFactor: z.number().gt(1).nullable().default(DEFAULT_DIVERGENCE_FACTOR).describe('a minibatch loss above x × the first one ends the run as diverged (a non-finite loss always does)'),
  /** Checkpoint after every this many steps (besides the time-based ones); absent: by time only. */
  checkpointEverySteps: z.number().int().min(1).optional().describe('also checkpoint after every n steps'),
  /** Checkpoint when this many seconds have passed since the last one: a kill loses at most this much work. */
  checkpointEverySeconds: z.number().positive().default(60).describe('checkpoint when s seconds have passed since the last one (a kill loses at most that much)'),
});

/** The run config's fields as written, before the cross-field checks: what `configFields` reads. */
export const runConfigInputSchema = baseSchema;

/**
 * The most parameter memory a run (or `describe`) may ask for: 4 GiB of float32 weights, what the
 * wasm backend can address at all, and far past the papers' largest net (WRN-28-10, 36.5 M
 * parameters, 146 MB). Training holds the weights several times over (gradients, optimizer state).
 */
export const MAX_PARAMETER_BYTES = 4 * 2 ** 30;

/**
 * Why architecture `arch` with validated `options` is too large to build, naming the largest size
 * the user gave (`given`), or undefined when it fits or its entry cannot say without building it.
 */
export function parameterBudgetProblem(arch: string, options: Record<string, unknown>, given: Readonly<Record<string, unknown>>): ConfigError | undefined {
  const entry = getArchitecture(arch);
  const count = entry.paramCount?.(options);
  if (count === undefined || count * 4 <= MAX_PARAMETER_BYTES) return undefined;
  const sizes = Object.entries(given).filter((e): e is [string, number] => typeof e[1] === 'number');
  const largest = sizes.sort((a, b) => b[1] - a[1])[0]?.[0];
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toLocaleString('en-US', { maximumFractionDigits: 1 })} GiB`;
  return new ConfigError(
    largest ?? arch,
    `${entry.displayName(options)} has ${count.toExponential(2)} parameters (${gib(count * 4)} as float32), more than the ${gib(MAX_PARAMETER_BYTES)} a run may hold`,
    largest === undefined ? 'give smaller sizes' : 'give a smaller value',
  );
}

/** The option κ (`archOptions.kappa`, `--kappa`) and the initializer that reads it (Sankararaman et al.'s strategy 4.1). */
const KAPPA = 'kappa';
const KAPPA_INIT = 'strategy-4.1';

/** Architecture `arch`'s options as its schema declares them (its JSON Schema's properties, read once per schema). */
export function archOptionProperties(arch: string): Record<string, JsonProperty> {
  const schema = getArchitecture(arch).schema;
  let properties = propertiesBySchema.get(schema);
  if (properties === undefined) {
    properties = (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProperty> }).properties ?? {};
    propertiesBySchema.set(schema, properties);
  }
  return properties;
}
const propertiesBySchema = new WeakMap<object, Record<string, JsonProperty>>();

/** The part of a JSON Schema (as zod's `toJSONSchema` writes it) that config fields are read from. */
export interface JsonProperty {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonProperty[];
  readonly oneOf?: readonly JsonProperty[];
  readonly items?: JsonProperty;
  readonly properties?: Readonly<Record<string, JsonProperty>>;
  readonly required?: readonly string[];
  readonly default?: unknown;
  readonly description?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
}

type BaseConfig = z.output<typeof baseSchema>;
type Context = z.RefinementCtx<BaseConfig>;

/** The architecture's options checked against its schema, with its defaults; undefined after an issue is added. */
function checkedArchOptions(config: BaseConfig, ctx: Context): Record<string, unknown> | undefined {
  let entry;
  try {
    entry = getArchitecture(config.arch);
  } catch (e) {
    if (!(e instanceof UnknownNameError)) throw e;
    ctx.addIssue({ code: 'custom', path: ['arch'], message: e.message, input: config.arch });
    return undefined;
  }
  // Architectures get their input and output sizes from the data set (`fromData`), never from the user.
  const dataDerived = optionsFromData(entry, defaultDataShape(entry));
  for (const key of Object.keys(dataDerived)) {
    if (key in config.archOptions) {
      ctx.addIssue({ code: 'custom', path: ['archOptions', key], message: `is taken from the data set; leave it out`, input: config.archOptions[key] });
      return undefined;
    }
  }
  // κ is an option of deep-linear's schema, but of core's init spec for the nets that take one
  // (mlp): there it is set aside here and folded into `init` once the init is known.
  const ownKappa = KAPPA in archOptionProperties(config.arch);
  const { [KAPPA]: kappa, ...given } = config.archOptions;
  // Placeholders stand in for the data-derived sizes so the rest can be checked (and defaulted)
  // before the data set is loaded; they are removed again below.
  const parsed = entry.schema.safeParse({ ...(ownKappa ? config.archOptions : given), ...dataDerived });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['archOptions', ...issue.path] } as Parameters<typeof ctx.addIssue>[0]);
    return undefined;
  }
  // A net too large to hold is refused here, before a weight is drawn or the data loaded.
  const tooLarge = parameterBudgetProblem(config.arch, parsed.data, given);
  if (tooLarge !== undefined) {
    ctx.addIssue({ code: 'custom', path: tooLarge.field in given ? ['archOptions', tooLarge.field] : ['archOptions'], message: tooLarge.detail, input: config.archOptions });
    return undefined;
  }
  const archOptions: Record<string, unknown> = { ...parsed.data };
  // deep-linear's config.json holds its default κ whatever the init: only another κ is a mistake there.
  if (kappa !== undefined && !(ownKappa && kappa === archOptionProperties(config.arch)[KAPPA]!.default)) {
    const init = archOptions.init;
    const initName = typeof init === 'object' && init !== null ? (init as { name?: unknown }).name : init;
    if (initName !== KAPPA_INIT) {
      ctx.addIssue({ code: 'custom', path: ['archOptions', KAPPA], message: `only applies to init '${KAPPA_INIT}', not '${String(initName)}'`, input: kappa });
      return undefined;
    }
    if (!ownKappa) archOptions.init = { ...(typeof init === 'object' ? init : { name: init }), [KAPPA]: kappa };
  }
  for (const key of Object.keys(dataDerived)) delete archOptions[key];
  return archOptions;
}

/** `model` stored absolute with its files' digest (the one recorded, else the files' now); undefined after an issue is added. */
function modelFields(file: string, recorded: string | undefined, ctx: Context): { model: string; modelSha256: string } | undefined {
  try {
    const model = resolveModelPath(file);
    return { model, modelSha256: recorded ?? modelFileDigest(model) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ctx.addIssue({ code: 'custom', path: [e.field], message: e.detail, input: file });
    return undefined;
  }
}

export const runConfigSchema = baseSchema.transform((config, ctx) => {
  const archOptions = config.model !== undefined ? {} : checkedArchOptions(config, ctx);
  if (archOptions === undefined) return z.NEVER;
  const model = config.model === undefined ? {} : modelFields(config.model, config.modelSha256, ctx);
  if (model === undefined) return z.NEVER;

  const loss = config.loss ?? defaultLoss(config.data);
  try {
    lossSpec(loss, config.p);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ctx.addIssue({ code: 'custom', path: [e.field], message: e.detail, input: config.p });
    return z.NEVER;
  }
  let dataOptions: Record<string, unknown>;
  try {
    dataOptions = parseDataOptions(config.data, config.dataOptions);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ctx.addIssue({ code: 'custom', path: e.field.split('.'), message: e.detail, input: config.dataOptions });
    return z.NEVER;
  }
  // An imported model stands in for the architecture: the config holds no arch (see withArchDefaults).
  const { arch, ...rest } = config;
  const resolved: Omit<BaseConfig, 'arch' | 'loss'> & { arch?: string; loss: LossName } = { ...rest, ...(config.model === undefined ? { arch } : {}), ...model, loss, archOptions, dataOptions };
  // Keys in the schema's order whichever were given, so a config parsed twice (a replayed
  // config.json) is written byte for byte the same.
  return Object.fromEntries(Object.keys(baseSchema.shape).flatMap((key) => (key in resolved ? [[key, resolved[key as keyof typeof resolved]]] : []))) as typeof resolved;
});

/** A validated config with every default filled in. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** What a user may write: nothing is required (no arch and no model: the default arch). */
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** `field: message` for the first problem, with unknown keys named as the field itself. */
function firstIssue(error: z.ZodError): ConfigError {
  const issue = error.issues[0]!;
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return new ConfigError([...path, issue.keys[0]!].join('.'), 'is not a known field');
  }
  // A union's own message is a bare "Invalid input"; its first alternative's says what was expected.
  const detail = issue.code === 'invalid_union' ? issue.errors[0]?.[0] : undefined;
  return new ConfigError(path.length > 0 ? path.join('.') : 'config', detail?.message ?? issue.message);
}

/**
 * Configs this process has validated: `run`, `prepareRun` and the CLI each call `parseRunConfig`,
 * and a config they pass on unchanged is not checked again. (A config is not changed after it is
 * parsed; a changed copy, `{ ...config, steps: 0 }`, is a new object and is checked.)
 */
const validated = new WeakSet<object>();

/** Validates a run config and fills its defaults; throws a ConfigError naming the first bad field. */
export function parseRunConfig(input: unknown): RunConfig {
  if (typeof input === 'object' && input !== null && validated.has(input)) return input as RunConfig;
  const result = runConfigSchema.safeParse(withArchDefaults(input));
  if (!result.success) throw firstIssue(result.error);
  validated.add(result.data);
  return result.data;
}

/**
 * Why a config's `model` does not go with its `arch` or `archOptions` (a model file fixes its own
 * layers), or undefined: for a config, and for `describe`'s flags of the same names.
 */
export function modelArchProblem(given: { readonly arch?: unknown; readonly archOptions?: unknown; readonly model?: unknown }): ConfigError | undefined {
  if (given.model === undefined) return undefined;
  if (given.arch !== undefined) return new ConfigError('model', 'a config names either arch or model, not both', 'leave out arch to train the model file, or model to train the architecture');
  const options = given.archOptions;
  if (options !== undefined && (typeof options !== 'object' || options === null || Object.keys(options).length > 0)) {
    return new ConfigError('archOptions', 'an imported model (model) takes no architecture options', 'leave them out; the model file fixes its layers');
  }
  return undefined;
}

/** The config with `ARCH_OPTION_DEFAULTS` under what it gives (left alone when it is not an object). */
function withArchDefaults(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const given = input as { arch?: unknown; archOptions?: unknown; model?: unknown };
  if (given.model !== undefined) {
    // Exactly one of the two: the schema's default arch applies only to a config that names no model.
    const problem = modelArchProblem(given);
    if (problem !== undefined) throw problem;
    return input;
  }
  const arch = given.arch ?? DEFAULT_ARCH;
  const defaults = typeof arch === 'string' ? ARCH_OPTION_DEFAULTS[arch] : undefined;
  if (defaults === undefined || (given.archOptions !== undefined && (typeof given.archOptions !== 'object' || given.archOptions === null))) return input;
  return { ...given, archOptions: { ...defaults, ...(given.archOptions as object | undefined) } };
}

/** An architecture's options with our defaults filled in (what `overparam describe` shows for a bare --arch). */
export function archOptionsWithDefaults(arch: string, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { ...ARCH_OPTION_DEFAULTS[arch], ...options };
}
