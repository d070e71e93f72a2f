import { getArchitecture } from '@overparam/architectures';
import { archFields, configFields, type FieldDescriptor } from '@overparam/experiments';

/** One form field: a config field's descriptor (from @overparam/experiments), as the form shows it. */
export type OptionField =
  | { readonly key: string; readonly kind: 'choice'; readonly choices: readonly string[]; readonly initial: string; readonly help?: string }
  | { readonly key: string; readonly kind: 'flag'; readonly initial: boolean; readonly help?: string }
  | { readonly key: string; readonly kind: 'number'; readonly integer: boolean; readonly initial: number | undefined; readonly help?: string };

/** A descriptor as a form field keyed by `key`; lists, records and free text have no form field. */
function formField(key: string, f: FieldDescriptor, example: unknown): OptionField | undefined {
  const initial = f.default ?? example;
  const help = f.description;
  if (f.kind === 'choice') return { key, kind: 'choice', choices: f.choices!, initial: typeof initial === 'string' ? initial : f.choices![0]!, help };
  if (f.kind === 'boolean') return { key, kind: 'flag', initial: initial === true, help };
  if (f.kind === 'integer' || f.kind === 'number') return { key, kind: 'number', integer: f.kind === 'integer', initial: typeof initial === 'number' ? initial : undefined, help };
  return undefined;
}

/**
 * The options of architecture `arch` a form can set: its scalar options (numbers, flags,
 * choices), without the sizes the data set fixes. Initial values: the descriptor's default (the
 * schema's, else experiments' default for the arch), else the architecture's small example.
 */
export function architectureFields(arch: string): OptionField[] {
  const examples: Readonly<Record<string, unknown>> = getArchitecture(arch).tiny ?? {};
  return archFields(arch)
    .filter((f) => f.fromData !== true)
    .flatMap((f) => {
      const key = f.path.slice('archOptions.'.length);
      const field = formField(key, f, examples[key]);
      return field === undefined ? [] : [field];
    });
}

/** The run config's own number fields a form offers (learning rate, batch size, steps, seed), by path. */
export function runFields(paths: readonly string[]): OptionField[] {
  const fields = configFields();
  return paths.flatMap((path) => {
    const f = fields.find((d) => d.path === path);
    const field = f === undefined ? undefined : formField(path, f, undefined);
    return field === undefined ? [] : [field];
  });
}

/** The options a run of `arch` starts with when it is picked in the form. */
export function initialOptions(arch: string): Record<string, unknown> {
  return Object.fromEntries(architectureFields(arch).flatMap((f) => (f.initial === undefined ? [] : [[f.key, f.initial]])));
}
