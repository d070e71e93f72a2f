import { ConfigError, parseKeyValues } from '@overparam/core';
import { z } from 'zod';
import { metricDefinitions } from './registry';

/**
 * Metrics as a run config names them: `{ name: 'confusion', every: 500, pairs: 100 }`, or on the
 * command line `confusion:every=500,pairs=100`. Each metric's schema is in its own file under
 * `src/metrics/`; this union is derived from the registry. Defaults are filled in by the schemas,
 * so a run's config.json shows what was measured.
 */
// Mapped over a type parameter, so that a tuple maps to a tuple.
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { readonly schema: infer S } ? S : never };
type NamesOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends { readonly name: infer N } ? N : never };
type Schemas = SchemasOf<typeof metricDefinitions>;
type Names = NamesOf<typeof metricDefinitions>;

// The casts keep each entry's own type (a tuple), which the union needs to type its output.
export const metricHookNames = metricDefinitions.map((d) => d.name) as unknown as Readonly<Names>;

export const metricSpecSchema = z.discriminatedUnion('name', metricDefinitions.map((d) => d.schema) as unknown as Schemas, {
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

/** A list of metric specs checked: the specs, or the first problem's path in the list (`[i, key]`) and what it is. */
function checkMetricList(input: unknown): { specs: MetricSpec[] } | { path: string[]; problem: string } {
  const result = metricListSchema.safeParse(input);
  if (result.success) return { specs: result.data };
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return { path: [...issue.path.map(String), issue.keys[0]!], problem: 'is not a known option of this metric' };
  return { path: issue.path.map(String), problem: issue.message };
}

/** Checks a list of metric specs; the error names the field as `metrics.<i>.<key>`. */
export function parseMetricSpecs(input: unknown, field = 'metrics'): MetricSpec[] {
  const checked = checkMetricList(input);
  if ('specs' in checked) return checked.specs;
  throw new ConfigError([field, ...checked.path].join('.'), checked.problem);
}

/**
 * `confusion:every=500,pairs=100` → `{ name: 'confusion', every: 500, pairs: 100 }`, read by core's
 * `parseKeyValues` (the reader of `--set` and `--data-option` too); a bare key is `true`. The
 * schema then checks the values.
 */
export function parseMetricFlag(text: string): Record<string, unknown> {
  const [name, rest] = text.includes(':') ? [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)] : [text, ''];
  const spec: Record<string, unknown> = { name: name.trim() };
  for (const [key, value] of rest.trim() === '' ? [] : parseKeyValues(rest, { field: 'metrics', example: `${name.trim()}:every=100`, bareKeys: true })) {
    if (key === 'name') throw new ConfigError('metrics', `cannot set 'name' in '${text}'`, 'write name:key=value,key=value');
    spec[key] = value;
  }
  return spec;
}

/**
 * `measure --metric`: one spec (`gram:of=loss,n=64`) or several bare names (`gram,spectrum`),
 * each with the text it came from. A comma separates options after a colon and names where there
 * is none, so a list of names cannot carry options (the spec flags set those).
 */
export function parseMetricNamesFlag(text: string): Array<{ readonly text: string; readonly spec: Record<string, unknown> }> {
  const texts = text.includes(':') ? [text] : text.split(',').map((t) => t.trim());
  return texts.map((t) => ({ text: t, spec: parseMetricFlag(t) }));
}

/**
 * `--metric` flags → specs, each checked on its own so an error quotes the flag as written and
 * names the key: `in 'spectrum:every=0': every: Too small: expected number to be >=1`.
 */
export function parseMetricFlags(texts: readonly string[]): Array<Record<string, unknown>> {
  return texts.map((text) => {
    const spec = parseMetricFlag(text);
    const checked = checkMetricList([spec]);
    if ('specs' in checked) return spec;
    // The path inside the one-spec list: its index, then the key (none, or `name`, for an unknown metric).
    const key = checked.path.slice(1).join('.');
    throw new ConfigError('metrics', `in '${text}': ${key === '' || key === 'name' ? '' : `${key}: `}${checked.problem}`);
  });
}
