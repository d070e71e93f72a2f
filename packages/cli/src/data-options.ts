import { UsageError } from './errors';

/**
 * `--data-option key=value` pairs → a data set's options. Values read as JSON would ("120" is a
 * number, "true" a boolean), anything else stays a string ("tanh"); the data set's own schema then
 * checks them, so `overparam data inspect` and `overparam train` accept exactly the same options.
 */
export function parseDataOptionPairs(pairs: readonly string[], flag = '--data-option'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(flag, `expected key=value, got '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    const number = text === '' ? Number.NaN : Number(text);
    out[key] = text === 'true' ? true : text === 'false' ? false : Number.isFinite(number) ? number : text;
  }
  return out;
}
