import { DEFAULT_ARCH, type FieldDescriptor, type FieldRange } from '@overparam/experiments';
import { parseMetricFlags } from '@overparam/metrics';
import { Option, type Command } from 'commander';
import { parseDataOptionPairs } from './data-options';
import { UsageError } from './errors';

/**
 * One command-line flag built from config field descriptors (see `configFields` in
 * @overparam/experiments): an architecture option is one flag for every architecture that has it,
 * so a flag may stand for several descriptors, one per schema.
 */
export interface FlagSpec {
  /** How commander declares it: `--depth <β>`, `--bias`. */
  readonly flags: string;
  /** The property commander stores the value under. */
  readonly key: string;
  /** The config path it sets (`archOptions.depth`); `outDir` for `--out`. */
  readonly field: string;
  /** The descriptors it sets; empty for a flag that is no config field (`--out`). */
  readonly fields: readonly FieldDescriptor[];
  /** Its --help line (what it is, what it accepts, its default). */
  readonly help: string;
  /** A boolean that also gets `--no-…`. */
  readonly negatable?: boolean;
}

/** The placeholder of a flag's value in --help, where the papers name it (`--lr <α>`); else by kind. */
const METAVARS: Readonly<Record<string, string>> = {
  depth: 'β', width: 'ℓ', lr: 'α', momentum: 'μ', weightDecay: 'λ', kappa: 'κ', virtualDepth: 'N', p: 'p',
  dataDir: 'dir', dataFile: 'file', model: 'model.json', divergenceFactor: 'x', checkpointEverySeconds: 's', dataOptions: 'key=value', metrics: 'name:key=value',
};

function metavar(field: FieldDescriptor): string {
  const key = field.path.split('.').at(-1)!;
  return METAVARS[key] ?? (field.kind === 'integer' ? 'n' : field.kind === 'number' ? 'x' : field.kind === 'choice' ? 'name' : 'value');
}

/** The commander attribute of a flag: `--width-factor` → `widthFactor`. */
export function attributeOf(flag: string): string {
  return flag.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "an integer ≥ 1", "a number in [0, 1)": what a number field accepts, for help and errors. */
export function describeRange(kind: 'integer' | 'number', range: FieldRange | undefined): string {
  const what = kind === 'integer' ? 'an integer' : 'a number';
  const r = range ?? {};
  if (r.min !== undefined && r.max !== undefined) return `${what} in ${r.minExclusive ? '(' : '['}${r.min}, ${r.max}${r.maxExclusive ? ')' : ']'}`;
  if (r.min !== undefined) return `${what} ${r.minExclusive ? '>' : '≥'} ${r.min}`;
  if (r.max !== undefined) return `${what} ${r.maxExclusive ? '<' : '≤'} ${r.max}`;
  return what;
}

/**
 * The range a flag checks itself. An inclusive upper bound is a limit the schema explains in its
 * own message ("at most 10000 layers are built …"), so it is left to the schema.
 */
function checkedRange(range: FieldRange | undefined): FieldRange | undefined {
  if (range?.max === undefined || range.maxExclusive === true) return range;
  const { max: _max, maxExclusive: _exclusive, ...rest } = range;
  return rest;
}

function accepts(field: FieldDescriptor): string {
  if (field.kind === 'choice') return `one of: ${field.choices!.join(', ')}`;
  if (field.kind === 'integer' || field.kind === 'number') return `${describeRange(field.kind, field.range)}${field.words !== undefined ? ` or ${field.words.join(', ')}` : ''}`;
  if (field.kind === 'list') return `comma-separated ${field.items ?? 'value'}s`;
  return '';
}

/** A number flag's text as its value, checked against the field's range (and words). */
function parseNumber(flag: string, text: string, field: FieldDescriptor): number | string {
  if (field.words?.includes(text)) return text;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const r = checkedRange(field.range) ?? {};
  const ok =
    Number.isFinite(value) &&
    (field.kind !== 'integer' || Number.isInteger(value)) &&
    (r.min === undefined || (r.minExclusive ? value > r.min : value >= r.min)) &&
    (r.max === undefined || value < r.max);
  if (!ok) throw new UsageError(flag, `expected ${describeRange(field.kind as 'integer' | 'number', r)}${field.words !== undefined ? ` or ${field.words.map((w) => `'${w}'`).join(', ')}` : ''}, got '${text}'`);
  return value;
}

/** A flag's value (commander's string, strings or boolean) as the value of `field`, or a UsageError naming the flag. */
export function parseFlagValue(flag: string, raw: unknown, field: FieldDescriptor): unknown {
  if (typeof raw === 'boolean') return raw;
  if (field.kind === 'specs') return parseMetricFlags(raw as string[]);
  if (field.kind === 'record') return parseDataOptionPairs(raw as string[], flag);
  const text = String(raw);
  if (field.kind === 'choice' && !field.choices!.includes(text)) throw new UsageError(flag, `unknown ${field.noun} '${text}'; expected one of: ${field.choices!.join(', ')}`);
  if (field.kind === 'integer' || field.kind === 'number') return parseNumber(flag, text, field);
  if (field.kind === 'list') {
    const numeric = field.items === 'integer' || field.items === 'number';
    return text.split(',').map((part) => (numeric ? parseNumber(flag, part.trim(), { ...field, kind: field.items as 'integer' | 'number', words: undefined }) : part.trim()));
  }
  return text;
}

/** `by architecture: mlp: β, …; wrn, cnn: β = 6n + 4 …`: what each group of architectures means by a field. */
function byArchitecture(fields: readonly FieldDescriptor[], of: (f: FieldDescriptor) => string | undefined): Array<[string, string[]]> {
  const groups = new Map<string, string[]>();
  for (const f of fields) {
    const value = of(f);
    if (value !== undefined) groups.set(value, [...(groups.get(value) ?? []), ...(f.archs ?? [])]);
  }
  return [...groups];
}

/** "3; wrn, cnn: 10": the default network's value first, then the others by architecture. */
function defaultHelp(fields: readonly FieldDescriptor[]): string | undefined {
  // An empty object or list (no data options, no metrics) is no default worth a word.
  const groups = byArchitecture(fields, (f) => (f.default === undefined || (typeof f.default === 'object' && !Array.isArray(f.default)) || (Array.isArray(f.default) && f.default.length === 0) ? undefined : Array.isArray(f.default) ? `[${f.default.join(', ')}]` : String(f.default)));
  if (groups.length === 0) return undefined;
  if (fields[0]!.archs === undefined) return groups[0]![0];
  const main = groups.findIndex(([, archs]) => archs.includes(DEFAULT_ARCH));
  const ordered = main < 0 ? groups : [groups[main]!, ...groups.filter((_, i) => i !== main)];
  const [[first, firstArchs], ...rest] = ordered as [[string, string[]], ...Array<[string, string[]]>];
  if (rest.length === 0) return first;
  return `${first}${main < 0 ? ` for ${firstArchs.join(', ')}` : ''}${rest.map(([value, archs]) => `; ${archs.join(', ')}: ${value}`).join('')}`;
}

/** The --help line of fields set by one flag: meaning (by architecture where it differs), what it takes, default, architectures. */
export function fieldsHelp(fields: readonly FieldDescriptor[]): string {
  const meanings = byArchitecture(fields, (f) => f.description);
  const first = fields[0]!;
  const name = first.path.split('.').at(-1)!;
  const description = meanings.length > 1 ? `${name}, by architecture: ${meanings.map(([m, archs]) => `${archs.join(', ')}: ${m}`).join('; ')}` : first.description;
  const takes = [...new Set(fields.map(accepts))].filter((a) => a !== '').join('; or ');
  const fallback = defaultHelp(fields);
  const archs = first.archs === undefined ? '' : ` [${[...new Set(fields.flatMap((f) => f.archs ?? []))].join(', ')}]`;
  return `${description}${takes === '' ? '' : `; ${takes}`}${fallback === undefined ? '' : ` (default: ${fallback})`}${archs}`;
}

/** One flag per distinct flag name of `fields` (those without a flag are set by `--set` only). */
export function flagSpecs(fields: readonly FieldDescriptor[]): FlagSpec[] {
  const byFlag = new Map<string, FieldDescriptor[]>();
  for (const f of fields) if (f.flag !== undefined) byFlag.set(f.flag, [...(byFlag.get(f.flag) ?? []), f]);
  return [...byFlag].map(([flag, group]) => {
    const first = group[0]!;
    const boolean = group.every((f) => f.kind === 'boolean');
    const variadic = first.kind === 'record' || first.kind === 'specs';
    return {
      flags: boolean ? flag : `${flag} <${metavar(first)}${variadic ? '...' : ''}>`,
      key: attributeOf(flag),
      field: first.path,
      fields: group,
      help: fieldsHelp(group),
      ...(boolean ? { negatable: true } : {}),
    };
  });
}

/** Declares `specs` on `command` (a boolean as `--x` and `--no-x`, neither given: the schema's default). */
export function addFlagSpecs(command: Command, specs: readonly FlagSpec[]): void {
  for (const spec of specs) {
    command.addOption(new Option(spec.flags, spec.help));
    if (spec.negatable === true) command.addOption(new Option(`--no-${spec.flags.slice(2)}`, `turn ${spec.flags.slice(2)} off`));
  }
}

/** The descriptor of `spec` that applies to `arch` (an architecture option), or a UsageError listing the flags `arch` takes. */
export function fieldForArch(spec: FlagSpec, arch: string, all: readonly FlagSpec[]): FieldDescriptor {
  const field = spec.fields.find((f) => f.archs === undefined || f.archs.includes(arch));
  if (field !== undefined) return field;
  const own = all.filter((s) => s.fields.some((f) => f.archs?.includes(arch))).map((s) => s.flags.split(' ')[0]);
  throw new UsageError(spec.flags.split(' ')[0], `does not apply to --arch ${arch}, which takes: ${own.join(', ')}`);
}
