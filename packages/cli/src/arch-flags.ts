import { architectureNames, defaultDataShape, getArchitecture, optionsFromData } from '@overparam/architectures';
import { ARCH_OPTION_DEFAULTS, DEFAULT_ARCH } from '@overparam/experiments';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { UsageError } from './errors';

/** The part of a JSON Schema (as zod's `toJSONSchema` writes it) that flags are derived from. */
interface PropertySchema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly PropertySchema[];
  readonly items?: PropertySchema;
  readonly default?: unknown;
  readonly description?: string;
}

/** One command-line flag for an architecture option, shared by every architecture that has the option. */
export interface ArchFlag {
  /** The option's name in the schema (camelCase), which is also the key commander stores it under. */
  readonly field: string;
  /** `--kebab-case`. */
  readonly flag: string;
  readonly boolean: boolean;
  /** The architectures that take this option, with each one's schema for it. */
  readonly schemas: ReadonlyMap<string, PropertySchema>;
  readonly description: string;
}

/** Flags the commands define themselves; an architecture option by one of these names gets none. */
const RESERVED = new Set(['arch', 'help', 'verbose', 'version']);

export function kebab(field: string): string {
  return `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function properties(arch: string): Record<string, PropertySchema> {
  const json = z.toJSONSchema(getArchitecture(arch).schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, PropertySchema> };
  return json.properties ?? {};
}

function isBoolean(s: PropertySchema): boolean {
  return s.type === 'boolean';
}

/** What a value flag accepts, for --help. */
function accepts(s: PropertySchema): string {
  if (s.anyOf !== undefined) return s.anyOf.map(accepts).filter((a) => a !== '').join(' or ');
  if (s.enum !== undefined) return s.enum.join('|');
  if (s.const !== undefined) return String(s.const);
  if (s.type === 'array') return `comma-separated ${accepts(s.items ?? {})}s`;
  if (s.type === 'integer' || s.type === 'number' || s.type === 'string') return s.type;
  return '';
}

/**
 * Every option of every registered architecture as a flag: camelCase → --kebab-case; a boolean
 * gets both --x and --no-x (neither given: the schema's default). Derived from the zod schemas
 * through zod's JSON Schema export, so a new architecture needs no CLI change.
 */
export function architectureFlags(options: { withDataSizes?: boolean } = {}): ArchFlag[] {
  const byField = new Map<string, { schemas: Map<string, PropertySchema>; description: string }>();
  for (const arch of architectureNames()) {
    // Sizes the data set fixes (inputDim, outputDim, …) are the user's to give only where there is
    // no data set (`describe`); `train` and `measure` take them from the data.
    const entry = getArchitecture(arch);
    const fromData = new Set(options.withDataSizes === true ? [] : Object.keys(optionsFromData(entry, defaultDataShape(entry))));
    for (const [field, schema] of Object.entries(properties(arch))) {
      if (RESERVED.has(field) || fromData.has(field)) continue;
      const entry = byField.get(field) ?? { schemas: new Map<string, PropertySchema>(), description: schema.description ?? field };
      entry.schemas.set(arch, schema);
      byField.set(field, entry);
    }
  }
  return [...byField].map(([field, { schemas, description }]) => ({
    field,
    flag: kebab(field),
    boolean: [...schemas.values()].every(isBoolean),
    schemas,
    description,
  }));
}

/**
 * What a run gets for `field` when no flag sets it, from experiments' ARCH_OPTION_DEFAULTS: the
 * default network's value first, then the others by architecture ("3; wrn, cnn: 10").
 */
export function archDefaultHelp(field: string): string | undefined {
  const byValue = new Map<string, string[]>();
  for (const [arch, defaults] of Object.entries(ARCH_OPTION_DEFAULTS)) {
    if (defaults[field] === undefined) continue;
    const value = String(defaults[field]);
    byValue.set(value, [...(byValue.get(value) ?? []), arch]);
  }
  if (byValue.size === 0) return undefined;
  const main = ARCH_OPTION_DEFAULTS[DEFAULT_ARCH]?.[field];
  const [first, ...rest] = main === undefined ? [...byValue] : [...byValue].sort(([v]) => (v === String(main) ? -1 : 0));
  const others = rest.map(([value, archs]) => `; ${archs.join(', ')}: ${value}`).join('');
  return byValue.size === 1 ? first![0] : `${first![0]}${main === undefined ? ` for ${first![1].join(', ')}` : ''}${others}`;
}

/** The --help line of a flag: what it is, what it takes, its default, and for which architectures. */
export function archFlagHelp(flag: ArchFlag): string {
  const first = [...flag.schemas.values()][0]!;
  const takes = flag.boolean ? '' : ` (${accepts(first)})`;
  const fallback = archDefaultHelp(flag.field);
  return `${flag.description}${takes}${fallback === undefined ? '' : ` (default: ${fallback})`} [${[...flag.schemas.keys()].join(', ')}]`;
}

function coerce(flag: string, text: string, s: PropertySchema): unknown {
  if (s.anyOf !== undefined) {
    // A number where a number is allowed and the text is one; otherwise the text (zod names the choices).
    const numeric = s.anyOf.find((alt) => alt.type === 'number' || alt.type === 'integer');
    return numeric !== undefined && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  if (s.type === 'integer' || s.type === 'number') {
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value) || (s.type === 'integer' && !Number.isInteger(value))) throw new UsageError(flag, `expected ${s.type === 'integer' ? 'an integer' : 'a number'}, got '${text}'`);
    return value;
  }
  if (s.type === 'array') return text.split(',').map((part) => coerce(flag, part.trim(), s.items ?? {}));
  return text;
}

/**
 * The options of `arch` given on the command line (commander's parsed values), typed per the
 * architecture's schema. A flag that `arch` does not take is a UsageError that lists what it does.
 */
export function archOptionsFromFlags(arch: string, flags: readonly ArchFlag[], values: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const f of flags) {
    const raw = values[f.field];
    if (raw === undefined) continue;
    const schema = f.schemas.get(arch);
    if (schema === undefined) {
      const own = flags.filter((g) => g.schemas.has(arch)).map((g) => g.flag);
      throw new UsageError(f.flag, `does not apply to --arch ${arch}, which takes: ${own.join(', ')}`);
    }
    options[f.field] = typeof raw === 'string' ? coerce(f.flag, raw, schema) : raw;
  }
  return options;
}

/**
 * Adds the flags of every registered architecture that the command does not declare itself
 * (`--width-factor`, `--no-skip`, `--hidden-widths`, …), and returns a reader that turns the
 * parsed options into the chosen architecture's options.
 */
export function addArchitectureOptions(command: Command, declaredFlags: readonly string[]): (options: Record<string, unknown>) => Record<string, unknown> {
  const declared = new Set(declaredFlags.map((flags) => flags.split(' ')[0]!.replace(/^--no-/, '--')));
  const archFlags = architectureFlags().filter((f) => !declared.has(f.flag));
  for (const f of archFlags) {
    if (f.boolean) command.addOption(new Option(f.flag, archFlagHelp(f))).addOption(new Option(`--no-${f.flag.slice(2)}`, `turn ${f.flag.slice(2)} off`));
    else command.addOption(new Option(`${f.flag} <value>`, archFlagHelp(f)));
  }
  return (options) => {
    const arch = typeof options.arch === 'string' ? options.arch : 'mlp';
    return architectureNames().includes(arch) ? archOptionsFromFlags(arch, archFlags, options) : {};
  };
}

/**
 * What an option means for each architecture that has it, from the schemas' descriptions:
 * "mlp, du-mlp: β, the number of hidden layers; wrn, cnn: β = 6n + 4 …". `--depth` means
 * different things to different networks, and its help says so.
 */
export function archOptionMeaning(field: string): string {
  const flag = architectureFlags().find((f) => f.field === field);
  if (flag === undefined) return field;
  const byMeaning = new Map<string, string[]>();
  for (const [arch, schema] of flag.schemas) {
    const meaning = schema.description ?? field;
    byMeaning.set(meaning, [...(byMeaning.get(meaning) ?? []), arch]);
  }
  return [...byMeaning].map(([meaning, archs]) => `${archs.join(', ')}: ${meaning}`).join('; ');
}
