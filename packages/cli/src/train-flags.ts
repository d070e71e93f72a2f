import { configFields, DEFAULT_ARCH, DEFAULT_LOSS_BY_TASK, FULL_BATCH, flagOfPath, parseRunConfig, setAtPath, type RunConfig } from '@overparam/experiments';
import { metricSpecSchema } from '@overparam/metrics';
import { z } from 'zod';
import { type FlagSpec, fieldForArch, flagSpecs, parseFlagValue } from './field-flags';
import { UsageError, type FieldToFlag } from './errors';

export type { FlagSpec } from './field-flags';

/**
 * `train`'s flags: one per run-config field, built from the schemas (`configFields`), plus this
 * short table of what the command line adds, the flags that are no single field.
 */
const ALIASES: readonly FlagSpec[] = [
  {
    flags: '--full-batch',
    key: 'fullBatch',
    field: 'batchSize',
    fields: [],
    help: `full-batch gradient descent: every step uses the whole training split (batchSize '${FULL_BATCH}')`,
  },
  { flags: '--out <dir>', key: 'out', field: 'outDir', fields: [], help: 'run directory; must not hold a run yet (default: runs/<date>T<time>)' },
];

/** What `--full-batch` sets. */
const ALIAS_VALUES: Readonly<Record<string, unknown>> = { fullBatch: FULL_BATCH };

/** The loss default depends on the data set: said in words, from experiments' table. */
const LOSS_DEFAULT = `by the data set's task: ${Object.entries(DEFAULT_LOSS_BY_TASK)
  .map(([task, loss]) => `${loss} for ${task}`)
  .join(', ')}`;

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

/** Help lines the command line words itself: the loss default depends on the data set; a metric flag has a syntax. */
function helpOverride(spec: FlagSpec): FlagSpec {
  if (spec.field === 'loss') return { ...spec, help: `${spec.help} (default: ${LOSS_DEFAULT})` };
  if (spec.field === 'metrics') {
    return { ...spec, help: `measure during training, repeatable (e.g. confusion:every=500,pairs=100 or spectrum:every=1000,n=64); schedule keys every, epochs, start, end; each metric's own keys: ${metricKeysHelp()}` };
  }
  return spec;
}

export function trainFlags(): FlagSpec[] {
  // Sizes the data set fixes (inputDim, classes, …) are `describe`'s to set; a run takes them from its data.
  const specs = flagSpecs(configFields().filter((f) => f.fromData !== true)).map(helpOverride);
  // The architecture's flags follow --arch; --full-batch follows --batch-size.
  const arch = specs.filter((s) => s.field.startsWith('archOptions.'));
  const rest = specs.filter((s) => !s.field.startsWith('archOptions.'));
  return rest.flatMap((s) => (s.field === 'arch' ? [s, ...arch] : s.field === 'batchSize' ? [s, ALIASES[0]!] : [s])).concat(ALIASES[1]!);
}

/** The flag that sets `field`, or that sets the nearest enclosing field (`optimizer.name` for `optimizer`). */
export function flagForField(specs: readonly FlagSpec[]): FieldToFlag {
  const fields = specs.flatMap((s) => s.fields);
  // A flag that is no field (`--out`) names the path it stands for, unless a field's own flag does (--batch-size, not --full-batch).
  const aliases = new Map(specs.filter((s) => s.fields.length === 0).map((s) => [s.field, flagName(s)]));
  return (field) => flagOfPath(fields, field) ?? aliases.get(field);
}

function omit(input: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([k]) => !keys.includes(k)));
}

function flagName(spec: FlagSpec): string {
  return spec.flags.split(' ')[0]!;
}

/**
 * The config the flags describe, on top of `base` (`--config`) and under `sets` (`--set`), validated
 * once. Flags not given stay out, so the schema's defaults apply. A flag that does not apply to the
 * chosen architecture or optimizer is refused, naming the ones that take it.
 */
export function toRunConfig(
  specs: readonly FlagSpec[],
  options: Record<string, unknown>,
  /** A config to start from (`--config`): flags given override its keys. */
  base?: Record<string, unknown>,
  /** `--set key=value` overrides, applied last, by dotted path. */
  sets: ReadonlyArray<{ path: string; value: unknown }> = [],
): { config: RunConfig; outDir: string } {
  const given = specs.filter((s) => options[s.key] !== undefined && s.key !== 'out');
  const value = (path: string) => given.find((s) => s.field === path)?.key;
  const arch = String(options[value('arch') ?? ''] ?? base?.arch ?? DEFAULT_ARCH);
  const optimizerName = String(options[value('optimizer.name') ?? ''] ?? (base?.optimizer as { name?: string } | undefined)?.name ?? configFields().find((f) => f.path === 'optimizer.name')!.default);

  // Another architecture's, data set's or optimizer's options would not fit; the same one's are overridden key by key.
  let input: Record<string, unknown> = { ...base };
  if (base !== undefined && base.arch !== arch) input.archOptions = {};
  // A network given on the command line replaces the file's, of either kind; a model flag names the file as it is now (its digest is read again).
  if (value('model') !== undefined) input = omit(input, ['arch', 'archOptions', 'modelSha256']);
  if (value('arch') !== undefined) input = omit(input, ['model', 'modelSha256']);
  if (base !== undefined && value('data') !== undefined && options.data !== base.data) input.dataOptions = {};
  if (base !== undefined && (base.optimizer as { name?: string } | undefined)?.name !== optimizerName) input.optimizer = { name: optimizerName };

  const byPath = new Map<string, string>();
  for (const spec of given) {
    const flag = flagName(spec);
    const earlier = byPath.get(spec.field);
    if (earlier !== undefined) throw new UsageError(flag, `give either ${flag} or ${earlier}, not both`);
    byPath.set(spec.field, flag);
    if (spec.fields.length === 0) {
      input = setAtPath(input, spec.field, ALIAS_VALUES[spec.key]);
      continue;
    }
    const field = spec.field.startsWith('archOptions.') ? fieldForArch(spec, arch, specs) : spec.fields[0]!;
    if (field.optimizers !== undefined && !field.optimizers.includes(optimizerName)) {
      throw new UsageError(flag, `only applies to --optimizer ${field.optimizers.join(' or ')}, not '${optimizerName}'`);
    }
    const parsed = parseFlagValue(flag, options[spec.key], field);
    // The data set's options add to those of the --config file; every other flag replaces its field.
    const merged = field.path === 'dataOptions' ? { ...(input.dataOptions as object | undefined), ...(parsed as object) } : parsed;
    input = setAtPath(input, field.path, merged);
  }
  for (const { path, value: v } of sets) input = setAtPath(input, path, v);
  // An optimizer's option given alone (`--momentum 0.9`, `--set optimizer.momentum=0.9`) is of the optimizer in force.
  const optimizer = input.optimizer as { name?: unknown } | undefined;
  if (optimizer !== undefined && optimizer.name === undefined) input = setAtPath(input, 'optimizer.name', optimizerName);
  const config = parseRunConfig(input);
  const outDir = typeof options.out === 'string' ? options.out : `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`;
  return { config, outDir };
}
