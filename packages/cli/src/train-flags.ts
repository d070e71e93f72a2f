import { architectureNames } from '@overparam/architectures';
import { activationNames, initializerNames, lossNames, optimizerNames, registeredBackends } from '@overparam/core';
import { dataSetNames } from '@overparam/data';
import { DEFAULT_ARCH, DEFAULT_LOSS_BY_TASK, FULL_BATCH, parseRunConfig, setAtPath, type RunConfig } from '@overparam/experiments';
import { metricSpecSchema, parseMetricFlags } from '@overparam/metrics';
import { z } from 'zod';
import { parseDataOptionPairs } from './data-options';
import { archDefaultHelp, archOptionMeaning, architectureFlags } from './arch-flags';
import { UsageError, type FieldToFlag } from './errors';

/** A number flag's allowed values; also what the error says when a value is outside them. */
interface NumberRule {
  readonly integer: boolean;
  readonly min?: number;
  readonly above?: number;
  readonly below?: number;
}

/**
 * One `train` flag: how commander declares it, what --help says, which config field it sets (so
 * config errors name the flag), and what it accepts. Defaults come from the run-config schema, so
 * the help text cannot drift from what a run actually uses.
 */
export interface FlagSpec {
  readonly flags: string;
  /** The property commander stores the value under. */
  readonly key: string;
  readonly field: string;
  readonly description: string;
  readonly default?: string;
  /** Names it accepts, and what to call one in an error ("unknown activation 'foo'"). */
  readonly choices?: { readonly kind: string; readonly names: readonly string[] };
  readonly number?: NumberRule;
  /** A word the number flag also takes, as is (`--batch-size full`, the config's own value). */
  readonly word?: string;
}


function describeRule(rule: NumberRule): string {
  const what = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.below !== undefined) return `${what} in [${rule.min}, ${rule.below})`;
  if (rule.min !== undefined) return `${what} ≥ ${rule.min}`;
  if (rule.above !== undefined) return `${what} > ${rule.above}`;
  return what;
}

function parseNumber(flag: string, text: string, rule: NumberRule, word?: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const ok =
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) throw new UsageError(flag, `expected ${describeRule(rule)}${word !== undefined ? ` or '${word}'` : ''}, got '${text}'`);
  return value;
}

/** Core's initializers and those an architecture names itself (deep-linear's near-identity, balanced, …). */
function initNames(): string[] {
  const own = architectureFlags()
    .filter((f) => f.field === 'init')
    .flatMap((f) => [...f.schemas.values()].flatMap((s) => (s.enum ?? []).map(String)));
  return [...new Set([...initializerNames, ...own])];
}

/** Each metric's own keys (beyond the schedule's), read from the metric schemas: `confusion (n, pairs, …)`. */
function metricKeysHelp(): string {
  const json = z.toJSONSchema(metricSpecSchema, { io: 'input', unrepresentable: 'any' }) as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }> };
  const scheduleKeys = new Set(['name', 'every', 'epochs', 'start', 'end']);
  return (json.oneOf ?? [])
    .map((option) => {
      const properties = option.properties ?? {};
      const own = Object.keys(properties).filter((k) => !scheduleKeys.has(k));
      return `${String(properties.name?.const)}${own.length > 0 ? ` (${own.join(', ')})` : ''}`;
    })
    .join('; ');
}

export function trainFlags(): FlagSpec[] {
  // Every default shown comes from the run-config schema (and its MLP-3-100 default network).
  const d: RunConfig = parseRunConfig({});
  const sizes = d.archOptions as { depth: number; width: number };
  const a = d.archOptions as { activation: string; init: string };
  const backends = ['auto', ...registeredBackends().map((p) => p.name)];
  const int = (min?: number): NumberRule => ({ integer: true, min });
  return [
    { flags: '--arch <name>', key: 'arch', field: 'arch', description: 'architecture', default: d.arch, choices: { kind: 'architecture', names: architectureNames() } },
    { flags: '--depth <β>', key: 'depth', field: 'archOptions.depth', description: `depth, by architecture: ${archOptionMeaning('depth')}`, default: archDefaultHelp('depth') ?? String(sizes.depth), number: int(1) },
    { flags: '--width <ℓ>', key: 'width', field: 'archOptions.width', description: `width, by architecture: ${archOptionMeaning('width')}`, default: archDefaultHelp('width') ?? String(sizes.width), number: int(1) },
    { flags: '--activation <name>', key: 'activation', field: 'archOptions.activation', description: 'nonlinearity after each hidden layer', default: a.activation, choices: { kind: 'activation', names: activationNames } },
    { flags: '--init <name>', key: 'init', field: 'archOptions.init', description: 'weight initializer', default: a.init, choices: { kind: 'initializer', names: initNames() } },
    { flags: '--kappa <κ>', key: 'kappa', field: 'archOptions.init.kappa', description: 'κ of --init strategy-4.1 (hidden weights N(0, 1/(κ·fan_in)))', default: '1', number: { integer: false, above: 0 } },
    { flags: '--no-bias', key: 'bias', field: 'archOptions.bias', description: 'leave out the biases (default: with biases)' },
    { flags: '--data <name>', key: 'data', field: 'data', description: 'data set', default: d.data, choices: { kind: 'data set', names: dataSetNames } },
    { flags: '--data-seed <n>', key: 'dataSeed', field: 'dataSeed', description: 'seed of a synthetic data set', default: String(d.dataSeed), number: int() },
    { flags: '--data-dir <dir>', key: 'dataDir', field: 'dataDir', description: 'directory holding a file-based data set (mnist-full, fashion-mnist, cifar10, cifar100); see `overparam data list`' },
    { flags: '--data-file <file>', key: 'dataFile', field: 'dataFile', description: 'CSV table of --data csv' },
    { flags: '--data-option <key=value...>', key: 'dataOption', field: 'dataOptions', description: "the data set's own options, e.g. d=120, trainSubset=1000, split=official, flatten=true" },
    { flags: '--augment <name>', key: 'augment', field: 'augment', description: 'training-batch augmentation (wrn: pad 4, random crop, flip)', default: d.augment, choices: { kind: 'augmentation', names: ['none', 'wrn'] } },
    {
      flags: '--loss <name>',
      key: 'loss',
      field: 'loss',
      description: 'loss',
      default: `by the data set's task: ${Object.entries(DEFAULT_LOSS_BY_TASK)
        .map(([task, loss]) => `${loss} for ${task}`)
        .join(', ')}`,
      choices: { kind: 'loss', names: lossNames },
    },
    { flags: '--p <p>', key: 'p', field: 'p', description: 'exponent of --loss lp (an even integer ≥ 2)', number: int(2) },
    { flags: '--optimizer <name>', key: 'optimizer', field: 'optimizer.name', description: 'optimizer', default: d.optimizer.name, choices: { kind: 'optimizer', names: optimizerNames } },
    { flags: '--momentum <μ>', key: 'momentum', field: 'optimizer.momentum', description: 'momentum (--optimizer sgd only)', default: '0', number: { integer: false, min: 0, below: 1 } },
    { flags: '--weight-decay <λ>', key: 'weightDecay', field: 'optimizer.weightDecay', description: 'L2 weight decay λ (--optimizer sgd, or end-to-end: the (1 − ηλN) factor)', default: '0', number: { integer: false, min: 0 } },
    { flags: '--virtual-depth <N>', key: 'virtualDepth', field: 'optimizer.virtualDepth', description: 'N of --optimizer end-to-end (GD on a virtual depth-N linear net; train --arch deep-linear --depth 1)', number: int(1) },
    { flags: '--lr <α>', key: 'lr', field: 'lr', description: 'learning rate', default: String(d.lr), number: { integer: false, above: 0 } },
    { flags: '--steps <n>', key: 'steps', field: 'steps', description: 'optimizer steps', default: String(d.steps), number: int(0) },
    { flags: '--batch-size <n>', key: 'batchSize', field: 'batchSize', description: `examples per minibatch, or '${FULL_BATCH}' for every training example`, default: String(d.batchSize), number: int(1), word: FULL_BATCH },
    { flags: '--full-batch', key: 'fullBatch', field: 'batchSize', description: `full-batch gradient descent: every step uses the whole training split (batchSize '${FULL_BATCH}')` },
    { flags: '--sampling <mode>', key: 'sampling', field: 'sampling', description: 'how minibatches are drawn', default: d.sampling, choices: { kind: 'sampling mode', names: ['shuffled-epochs', 'with-replacement'] } },
    { flags: '--seed <n>', key: 'seed', field: 'seed', description: 'seed of the initial weights and the minibatch order', default: String(d.seed), number: int() },
    { flags: '--backend <name>', key: 'backend', field: 'backend', description: 'tensor backend', default: d.backend, choices: { kind: 'backend', names: backends } },
    { flags: '--log-every <n>', key: 'logEvery', field: 'logEvery', description: 'steps per metrics.jsonl train record', default: String(d.logEvery), number: int(1) },
    {
      flags: '--divergence-factor <x>',
      key: 'divergenceFactor',
      field: 'divergenceFactor',
      description: 'a minibatch loss above x × the first one ends the run as diverged (a non-finite loss always does)',
      default: String(d.divergenceFactor),
      number: { integer: false, above: 1 },
    },
    { flags: '--checkpoint-every-steps <n>', key: 'checkpointEverySteps', field: 'checkpointEverySteps', description: 'also checkpoint after every n steps', number: int(1) },
    {
      flags: '--checkpoint-every-seconds <s>',
      key: 'checkpointEverySeconds',
      field: 'checkpointEverySeconds',
      description: 'checkpoint when s seconds have passed since the last one (a kill loses at most that much)',
      default: String(d.checkpointEverySeconds),
      number: { integer: false, above: 0 },
    },
    {
      flags: '--metric <name:key=value...>',
      key: 'metric',
      field: 'metrics',
      description: `measure during training, repeatable (e.g. confusion:every=500,pairs=100 or spectrum:every=1000,n=256); schedule keys every, epochs, start, end; each metric's own keys: ${metricKeysHelp()}`,
    },
    { flags: '--out <dir>', key: 'out', field: 'outDir', description: 'run directory; must not hold a run yet', default: 'runs/<date>T<time>' },
  ];
}

/** The --help line of a flag: what it is, what it accepts, its default. */
export function helpText(spec: FlagSpec): string {
  const allowed = spec.choices !== undefined ? `; one of: ${spec.choices.names.join(', ')}` : spec.number !== undefined ? `; ${describeRule(spec.number)}${spec.word !== undefined ? ` or ${spec.word}` : ''}` : '';
  return `${spec.description}${allowed}${spec.default !== undefined ? ` (default: ${spec.default})` : ''}`;
}

/** The flag that sets `field`, or that sets the nearest enclosing field (`optimizer.name` for `optimizer`). */
export function flagForField(specs: readonly FlagSpec[]): FieldToFlag {
  // The first flag of a field names it (--batch-size, not --full-batch, for batchSize).
  const byField = new Map<string, string>();
  for (const s of specs) if (!byField.has(s.field)) byField.set(s.field, s.flags.split(' ')[0]!);
  return (field) => {
    for (let parts = field.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
      const flag = byField.get(parts.join('.')) ?? byField.get(`${parts.join('.')}.name`);
      if (flag !== undefined) return flag;
    }
    return undefined;
  };
}

function flagName(spec: FlagSpec): string {
  return spec.flags.split(' ')[0]!;
}

/**
 * Checks every flag value and turns them into a validated run config, before anything runs.
 * Flags not given stay out of the config, so the schema's defaults apply.
 */
export function toRunConfig(
  specs: readonly FlagSpec[],
  options: Record<string, unknown>,
  /** Options of the chosen architecture set by its own flags (see arch-flags.ts). */
  extraArchOptions: Record<string, unknown> = {},
  /** A config to start from (`--config`): flags given override its keys, and no CLI defaults apply. */
  base?: Record<string, unknown>,
  /** `--set key=value` overrides, applied last, by dotted path. */
  sets: ReadonlyArray<{ path: string; value: unknown }> = [],
): { config: RunConfig; outDir: string } {
  const values: Record<string, string | number | boolean> = {};
  for (const spec of specs) {
    const raw = options[spec.key];
    if (raw === undefined) continue;
    if (typeof raw !== 'string') values[spec.key] = raw as boolean;
    else if (spec.word !== undefined && raw === spec.word) values[spec.key] = raw;
    else if (spec.number !== undefined) values[spec.key] = parseNumber(flagName(spec), raw, spec.number, spec.word);
    else if (spec.choices !== undefined && !spec.choices.names.includes(raw)) {
      throw new UsageError(flagName(spec), `unknown ${spec.choices.kind} '${raw}'; expected one of: ${spec.choices.names.join(', ')}`);
    } else values[spec.key] = raw;
  }

  const baseArchOptions = (base?.archOptions ?? {}) as Record<string, unknown>;
  const baseInit = baseArchOptions.init;
  const init = values.init ?? (typeof baseInit === 'string' ? baseInit : ((baseInit as { name?: string } | undefined)?.name ?? 'glorot-normal'));
  if (values.kappa !== undefined && init !== 'strategy-4.1') throw new UsageError('--kappa', `only applies to --init strategy-4.1, not '${init}'`);
  const baseOptimizer = base?.optimizer as { name?: string } | undefined;
  const optimizer = values.optimizer ?? baseOptimizer?.name ?? 'sgd';
  for (const [key, flag] of [['momentum', '--momentum']] as const) {
    if (values[key] !== undefined && optimizer !== 'sgd') throw new UsageError(flag, `only applies to --optimizer sgd, not '${optimizer}'`);
  }
  if (values.weightDecay !== undefined && optimizer !== 'sgd' && optimizer !== 'end-to-end') throw new UsageError('--weight-decay', `only applies to --optimizer sgd or end-to-end, not '${optimizer}'`);
  if (values.virtualDepth !== undefined && optimizer !== 'end-to-end') throw new UsageError('--virtual-depth', `only applies to --optimizer end-to-end, not '${optimizer}'`);

  if (values.fullBatch === true && values.batchSize !== undefined) throw new UsageError('--full-batch', 'give either --full-batch or --batch-size, not both');
  if (values.fullBatch === true) values.batchSize = FULL_BATCH;
  const pick = (...keys: string[]) => Object.fromEntries(keys.filter((k) => values[k] !== undefined).map((k) => [k, values[k]]));
  const arch = typeof values.arch === 'string' ? values.arch : typeof base?.arch === 'string' ? base.arch : DEFAULT_ARCH;
  // κ is part of core's init spec for mlp; an architecture with its own `kappa` option takes it there.
  const ownKappa = architectureFlags().some((f) => f.field === 'kappa' && f.schemas.has(arch));
  const archOptions = {
    // The default network's sizes come from parseRunConfig; a given config keeps its own.
    ...(base !== undefined && base.arch === arch ? baseArchOptions : {}),
    ...pick('depth', 'width', 'activation'),
    // commander sets bias to true unless --no-bias is given; only the explicit false is an option.
    ...(values.bias === false ? { bias: false } : {}),
    ...(ownKappa
      ? pick('init', 'kappa')
      : values.init !== undefined || values.kappa !== undefined
        ? { init: values.kappa === undefined ? init : { name: init, kappa: values.kappa } }
        : {}),
    ...extraArchOptions,
  };
  // Repeated or space-separated pairs arrive as one array (a variadic option).
  const pairs = options.dataOption as string[] | undefined;
  // Repeated --metric flags arrive as one array (a variadic option), each parsed on its own.
  const metricFlags = options.metric as string[] | undefined;
  const sameData = values.data === undefined || values.data === base?.data;
  let input: Record<string, unknown> = {
    ...base,
    arch,
    archOptions,
    ...pick('data', 'dataSeed', 'dataDir', 'dataFile', 'augment', 'loss', 'p', 'lr', 'steps', 'batchSize', 'sampling', 'seed', 'backend', 'logEvery'),
    ...pick('divergenceFactor', 'checkpointEverySteps', 'checkpointEverySeconds'),
    // Another data set's options would not fit; the same one's are overridden key by key.
    ...(base !== undefined && !sameData ? { dataOptions: {} } : {}),
    ...(pairs === undefined ? {} : { dataOptions: { ...(sameData ? ((base?.dataOptions ?? {}) as object) : {}), ...parseDataOptionPairs(pairs) } }),
    ...(metricFlags === undefined ? {} : { metrics: parseMetricFlags(metricFlags) }),
    ...(values.optimizer !== undefined || values.momentum !== undefined || values.weightDecay !== undefined || values.virtualDepth !== undefined
      ? { optimizer: { ...(values.optimizer === undefined || values.optimizer === baseOptimizer?.name ? baseOptimizer : {}), name: optimizer, ...pick('momentum', 'weightDecay', 'virtualDepth') } }
      : {}),
  };
  for (const { path, value } of sets) input = setAtPath(input, path, value);
  const config = parseRunConfig(input);
  const outDir = typeof values.out === 'string' ? values.out : `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return { config, outDir };
}
