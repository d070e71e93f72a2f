import { ConfigError, parseKeyValues } from '@overparam/core';
import { UsageError } from './errors';

/**
 * `--data-option key=value` pairs (repeated, space- or comma-separated: `n=120 d=4`, `n=120,d=4`)
 * → a data set's options, read by core's `parseKeyValues` like `--set` and `--metric`. The data
 * set's own schema then checks them, so `overparam data inspect` and `overparam train` accept
 * exactly the same options.
 */
export function parseDataOptionPairs(pairs: readonly string[], flag = '--data-option'): Record<string, unknown> {
  try {
    return Object.fromEntries(pairs.flatMap((pair) => parseKeyValues(pair, { field: 'dataOptions', example: 'n=120,d=4' })));
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(flag, e.detail);
    throw e;
  }
}
