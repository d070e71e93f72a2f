import { architectureNames, defaultDataShape, getArchitecture, optionsFromData } from '@overparam/architectures';
import { registeredBackends } from '@overparam/core';
import { z } from 'zod';
import { ARCH_OPTION_DEFAULTS, archOptionProperties, runConfigInputSchema, type JsonProperty } from './config';

/**
 * Every field of a run config (and of a measurement spec) as a descriptor read from the zod
 * schemas: its dotted path, the flag that sets it, what it accepts and its default. The CLI's
 * flags, `--set`, `describe`, the errors that name a flag and the playground's forms are all
 * built from these, so a field added to a schema needs no second edit to be set, shown or named.
 */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'choice' | 'text' | 'list' | 'record' | 'specs';

/** A number field's bounds; an `exclusive` bound is not itself allowed. */
export interface FieldRange {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

export interface FieldDescriptor {
  /** The dotted config path: `lr`, `optimizer.momentum`, `archOptions.depth`. */
  readonly path: string;
  /** The command-line flag that sets it (`--depth`); absent: only `--set path=value` does. */
  readonly flag?: string;
  readonly kind: FieldKind;
  /** What one value is called in an error: "unknown initializer 'x'". */
  readonly noun: string;
  readonly choices?: readonly string[];
  /** Words a number field also takes as they are (`batchSize` 'full', deep-linear's `scale` 'theorem-6.1'). */
  readonly words?: readonly string[];
  readonly range?: FieldRange;
  /** The kind of a list's items. */
  readonly items?: FieldKind;
  /** What the field is when the config leaves it out; absent when it then stays out. */
  readonly default?: unknown;
  readonly description: string;
  /** `archOptions.*`: the architectures that take the option with exactly this schema and default. */
  readonly archs?: readonly string[];
  /** `optimizer.*`: the optimizers that take it. */
  readonly optimizers?: readonly string[];
  /** An architecture option the data set fixes (input size, classes): set only where there is no data set (`describe`). */
  readonly fromData?: boolean;
}

/** What one value of a choice is called in errors, where the field's name does not say it. */
const NOUNS: Readonly<Record<string, string>> = { arch: 'architecture', data: 'data set', init: 'initializer', sampling: 'sampling mode', augment: 'augmentation', factorInit: 'factor init' };

/** Fields a run records from something else (the model file's digest), settable by `--set` only. */
const RECORDED = new Set(['modelSha256']);

/** Names commands use themselves; an architecture option by one of these names gets no flag of its own. */
const RESERVED = new Set(['arch', 'help', 'verbose', 'version']);

/** `widthFactor` → `--width-factor`. */
export function kebab(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** JSON Schema writes an unbounded safe integer as ±(2⁵³ − 1): no bound a user needs to hear of. */
function bound(value: number | undefined): number | undefined {
  return value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;
}

function rangeOf(p: JsonProperty): FieldRange | undefined {
  const min = bound(p.exclusiveMinimum) ?? bound(p.minimum);
  const max = bound(p.exclusiveMaximum) ?? bound(p.maximum);
  if (min === undefined && max === undefined) return undefined;
  return {
    ...(min === undefined ? {} : { min, minExclusive: bound(p.exclusiveMinimum) !== undefined }),
    ...(max === undefined ? {} : { max, maxExclusive: bound(p.exclusiveMaximum) !== undefined }),
  };
}

type Shape = Pick<FieldDescriptor, 'kind' | 'choices' | 'words' | 'range' | 'items'>;

/** What a JSON Schema property accepts, as a field: a union of a number and named words is a number with words. */
function shapeOf(p: JsonProperty): Shape {
  const alternatives = (p.anyOf ?? []).filter((a) => a.type !== 'null');
  if (alternatives.length > 0) {
    const numeric = alternatives.find((a) => a.type === 'integer' || a.type === 'number');
    const words = alternatives.flatMap((a) => (a.const !== undefined ? [String(a.const)] : []));
    if (numeric !== undefined) return { ...shapeOf(numeric), ...(words.length > 0 ? { words } : {}) };
    // A name or an object naming it (an init spec): offered as its names.
    const named = alternatives.find((a) => a.enum !== undefined);
    if (named !== undefined) return shapeOf(named);
    return alternatives.length === 1 ? shapeOf(alternatives[0]!) : { kind: 'text' };
  }
  if (p.enum !== undefined) return { kind: 'choice', choices: p.enum.map(String) };
  if (p.const !== undefined) return { kind: 'choice', choices: [String(p.const)] };
  if (p.type === 'integer' || p.type === 'number') {
    const range = rangeOf(p);
    return { kind: p.type, ...(range === undefined ? {} : { range }) };
  }
  if (p.type === 'boolean') return { kind: 'boolean' };
  if (p.type === 'array') return { kind: 'list', items: shapeOf(p.items ?? {}).kind };
  if (p.type === 'object') return { kind: 'record' };
  return { kind: 'text' };
}

function nounOf(path: string): string {
  const parts = path.split('.');
  const key = parts.at(-1) === 'name' && parts.length > 1 ? parts.at(-2)! : parts.at(-1)!;
  return NOUNS[key] ?? key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

function descriptor(path: string, p: JsonProperty, extra: Partial<FieldDescriptor> = {}): FieldDescriptor {
  return {
    path,
    noun: nounOf(path),
    ...shapeOf(p),
    ...(p.default === undefined ? {} : { default: p.default }),
    description: p.description ?? path,
    ...extra,
  };
}

function jsonOf(schema: z.ZodType): JsonProperty {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonProperty;
}

/** A `.default(…)` schema's value. */
function defaultOf(schema: z.ZodType): unknown {
  const def = schema.def as { type: string; defaultValue?: unknown };
  return def.type === 'default' ? structuredClone(def.defaultValue) : undefined;
}

let topLevel: FieldDescriptor[] | undefined;

/** The fields of the run config itself (not of an architecture): its own schema's, read once. */
function ownFields(): FieldDescriptor[] {
  if (topLevel !== undefined) return topLevel;
  const fields: FieldDescriptor[] = [];
  for (const [key, p] of Object.entries(jsonOf(runConfigInputSchema).properties ?? {})) {
    if (key === 'archOptions') continue;
    if (key === 'optimizer') fields.push(...optimizerFields(p));
    else if (key === 'dataOptions') fields.push(descriptor(key, p, { flag: '--data-option' }));
    // JSON Schema leaves out the default of a refined list; the schema itself has it.
    else if (key === 'metrics') fields.push(descriptor(key, p, { kind: 'specs', flag: '--metric', default: defaultOf(runConfigInputSchema.shape.metrics) }));
    else if (p.type === 'object' || (p.anyOf ?? p.oneOf) !== undefined && (p.anyOf ?? p.oneOf)!.some((a) => a.type === 'object')) {
      // Nested objects (a schedule, overparameterize): each key by `--set path=value`.
      fields.push(...nestedFields(key, p));
    } else fields.push(descriptor(key, p, RECORDED.has(key) ? {} : { flag: kebab(key) }));
  }
  topLevel = fields;
  return fields;
}

/** `optimizer.name` (--optimizer) and every option of some optimizer, with the optimizers that take it. */
function optimizerFields(p: JsonProperty): FieldDescriptor[] {
  const options = (p.oneOf ?? p.anyOf ?? []).filter((o) => o.properties !== undefined);
  const names = options.map((o) => String(o.properties!.name!.const));
  const fields: FieldDescriptor[] = [{ path: 'optimizer.name', flag: '--optimizer', noun: 'optimizer', kind: 'choice', choices: names, default: (p.default as { name?: string } | undefined)?.name, description: p.description ?? 'optimizer' }];
  const byKey = new Map<string, { property: JsonProperty; optimizers: string[] }>();
  options.forEach((o, i) => {
    for (const [key, property] of Object.entries(o.properties!)) {
      if (key === 'name') continue;
      const entry = byKey.get(key) ?? { property, optimizers: [] };
      entry.optimizers.push(names[i]!);
      byKey.set(key, entry);
    }
  });
  for (const [key, { property, optimizers }] of byKey) fields.push(descriptor(`optimizer.${key}`, property, { flag: kebab(key), optimizers }));
  return fields;
}

function nestedFields(key: string, p: JsonProperty): FieldDescriptor[] {
  const objects = [p, ...(p.anyOf ?? []), ...(p.oneOf ?? []), ...(p.anyOf ?? []).flatMap((a) => a.oneOf ?? a.anyOf ?? [])].filter((o) => o.properties !== undefined);
  const fields: FieldDescriptor[] = [];
  for (const o of objects) {
    for (const [inner, property] of Object.entries(o.properties!)) {
      const path = `${key}.${inner}`;
      const earlier = fields.findIndex((f) => f.path === path);
      // A discriminator (`schedule.kind`) is one constant per alternative: together, its choices.
      if (earlier >= 0 && property.const !== undefined) fields[earlier] = { ...fields[earlier]!, choices: [...(fields[earlier]!.choices ?? []), String(property.const)] };
      else if (earlier < 0) fields.push(descriptor(path, property));
    }
  }
  return fields;
}

/**
 * Architecture `arch`'s options as fields (`archOptions.<key>`). The default is the schema's, else
 * the one experiments gives the architecture (ARCH_OPTION_DEFAULTS: MLP-3-100, WRN-10-1, …).
 */
export function archFields(arch: string): FieldDescriptor[] {
  const entry = getArchitecture(arch);
  const fromData = new Set(Object.keys(optionsFromData(entry, defaultDataShape(entry))));
  const properties = archOptionProperties(arch);
  const own = new Set(ownFields().flatMap((f) => (f.flag === undefined ? [] : [f.flag])));
  return Object.entries(properties).map(([key, p]) => {
    const fallback = ARCH_OPTION_DEFAULTS[arch]?.[key];
    const flag = RESERVED.has(key) || own.has(kebab(key)) ? undefined : kebab(key);
    return descriptor(`archOptions.${key}`, p, {
      ...(flag === undefined ? {} : { flag }),
      ...(p.default === undefined && fallback !== undefined ? { default: fallback } : {}),
      archs: [arch],
      ...(fromData.has(key) ? { fromData: true } : {}),
    });
  });
}

/**
 * Every architecture's options, one descriptor per option and schema: architectures whose option
 * reads the same (type, choices, range, default, description) share one. κ also applies to the
 * nets whose `init` takes an options object (the run config folds it in there; see config.ts).
 */
export function allArchFields(): FieldDescriptor[] {
  const groups = new Map<string, { field: FieldDescriptor; archs: string[] }>();
  for (const arch of architectureNames()) {
    for (const field of archFields(arch)) {
      const key = JSON.stringify({ ...field, archs: undefined });
      const group = groups.get(key) ?? { field, archs: [] };
      group.archs.push(arch);
      groups.set(key, group);
    }
  }
  const fields = [...groups.values()].map(({ field, archs }) => ({ ...field, archs }));
  const kappa = fields.find((f) => f.path === 'archOptions.kappa');
  if (kappa !== undefined) {
    const folded = architectureNames().filter((arch) => !kappa.archs.includes(arch) && takesInitObject(archOptionProperties(arch).init));
    fields[fields.indexOf(kappa)] = { ...kappa, archs: [...kappa.archs, ...folded] };
  }
  return fields;
}

function takesInitObject(init: JsonProperty | undefined): boolean {
  return init?.anyOf?.some((a) => a.type === 'object') === true;
}

/**
 * Every run-config field: the config's own, then every architecture's options. `backend` lists
 * the backends registered when this is called, after 'auto'.
 */
export function configFields(): FieldDescriptor[] {
  const backends = registeredBackends().map((b) => b.name);
  const own = ownFields().map((f) => {
    if (f.path === 'arch') return { ...f, kind: 'choice' as const, choices: architectureNames() };
    if (f.path === 'backend') return { ...f, kind: 'choice' as const, choices: [String(f.default), ...backends] };
    return f;
  });
  return [...own, ...allArchFields()];
}

/**
 * The flag that sets `path`, or the field enclosing it (`optimizer` → `--optimizer`,
 * `dataOptions.n` → `--data-option`, `metrics.0.every` → `--metric`); undefined when none does.
 */
export function flagOfPath(fields: readonly FieldDescriptor[], path: string): string | undefined {
  for (let parts = path.split('.'); parts.length > 0; parts = parts.slice(0, -1)) {
    const at = parts.join('.');
    const field = fields.find((f) => f.flag !== undefined && (f.path === at || f.path === `${at}.name`));
    if (field !== undefined) return field.flag;
  }
  return undefined;
}
