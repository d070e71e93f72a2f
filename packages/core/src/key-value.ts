import { ConfigError } from './errors';

/**
 * The one reader of `key=value` text, for every place a user writes settings inline: `--set
 * lr=0.1`, `--data-option n=120,d=4`, `--metric spectrum:every=100,n=64`. A value is JSON when it
 * reads as JSON (numbers, booleans, null, arrays, objects), and the text itself otherwise (tanh,
 * glorot-normal); the schema that receives it then checks it.
 */
export function readValue(raw: string): unknown {
  const text = raw.trim();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export interface KeyValueOptions {
  /** The field errors name (`set`, `dataOptions`, `metrics`). */
  readonly field: string;
  /** A correct example for the error's fix: `d=120`. */
  readonly example: string;
  /** Whether a bare `key` means `key=true` (metric flags: `confusion:values`). */
  readonly bareKeys?: boolean;
}

/**
 * `a=1,b=[2,3]` → `[['a', 1], ['b', [2, 3]]]`. Pairs are split at a comma followed by another key
 * (`,b=` or a bare `,b`), so a list or object value keeps its own commas.
 */
export function parseKeyValues(text: string, options: KeyValueOptions): Array<[string, unknown]> {
  const parts = text.split(/,(?=\s*[A-Za-z_][\w.]*\s*(?:=|,|$))/).map((p) => p.trim());
  return parts.map((part) => {
    if (options.bareKeys === true && /^[A-Za-z_][\w.]*$/.test(part)) return [part, true];
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() === '') throw new ConfigError(options.field, `expected key=value, got '${part}'`, `e.g. ${options.example}`);
    return [part.slice(0, eq).trim(), readValue(part.slice(eq + 1))];
  });
}
