import { defaultDataShape, getArchitecture, optionsFromData } from '@overparam/architectures';
import { ARCH_OPTION_DEFAULTS } from '@overparam/experiments';
import { z } from 'zod';

/** One form field of an architecture option: what the schema says about it, nothing written twice. */
export type OptionField =
  | { readonly key: string; readonly kind: 'choice'; readonly choices: readonly string[]; readonly initial: string; readonly help?: string }
  | { readonly key: string; readonly kind: 'flag'; readonly initial: boolean; readonly help?: string }
  | { readonly key: string; readonly kind: 'number'; readonly integer: boolean; readonly initial: number | undefined; readonly help?: string };

interface JsonProperty {
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly anyOf?: readonly JsonProperty[];
  readonly default?: unknown;
  readonly description?: string;
}

/**
 * The options of architecture `arch` a form can set: its schema's scalar options (numbers, flags,
 * choices; a union offers its named choices), without the sizes the data set fixes. Initial
 * values: the schema's default, else experiments' default for the arch, else its small example.
 */
export function architectureFields(arch: string): OptionField[] {
  const entry = getArchitecture(arch);
  const fixedByData = new Set(Object.keys(optionsFromData(entry, defaultDataShape(entry))));
  const json = z.toJSONSchema(entry.schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonProperty> };
  const examples: Record<string, unknown> = { ...entry.tiny, ...ARCH_OPTION_DEFAULTS[arch] };
  const fields: OptionField[] = [];
  for (const [key, property] of Object.entries(json.properties ?? {})) {
    if (fixedByData.has(key)) continue;
    const initial = property.default ?? examples[key];
    const help = property.description;
    const choices = property.enum ?? property.anyOf?.find((p) => p.enum !== undefined)?.enum;
    if (choices !== undefined) fields.push({ key, kind: 'choice', choices, initial: typeof initial === 'string' ? initial : choices[0]!, help });
    else if (property.type === 'boolean') fields.push({ key, kind: 'flag', initial: initial === true, help });
    else if (property.type === 'integer' || property.type === 'number') {
      fields.push({ key, kind: 'number', integer: property.type === 'integer', initial: typeof initial === 'number' ? initial : undefined, help });
    }
  }
  return fields;
}

/** The options a run of `arch` starts with when it is picked in the form. */
export function initialOptions(arch: string): Record<string, unknown> {
  return Object.fromEntries(architectureFields(arch).flatMap((f) => (f.initial === undefined ? [] : [[f.key, f.initial]])));
}
