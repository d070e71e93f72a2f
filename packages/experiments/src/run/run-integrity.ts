import { OverparamError } from '@overparam/core';
import { parseRunConfig, type RunConfig } from '../config/config';
import type { RunStore } from '../store/types';
import { recordsMismatch } from '../store/records-digest';
import { canonicalJson, stableHash } from '../sweep/sweep';

/**
 * What a run checks about itself before it continues: that config.json still is the config its
 * checkpoint was trained with, and that an ended run's records are the ones its summary counted.
 */

/** The hash of a resolved config, key order aside (the same hash as a sweep cell's id). */
export function configHash(config: RunConfig): string {
  return stableHash(canonicalJson(config));
}

/** The top-level keys whose values differ between two configs. */
export function differingKeys(a: RunConfig, b: RunConfig): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => canonicalJson((a as Record<string, unknown>)[k]) !== canonicalJson((b as Record<string, unknown>)[k])).sort();
}

const shown = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));

/**
 * Refuses (RUN_MISMATCH) to resume `config` from a checkpoint trained with another one: a
 * config.json edited after the run started would continue silently with the edit, and no longer
 * replay the run. The recorded config is read with today's defaults, so a field added since
 * (with its default) is no difference.
 */
export async function checkCheckpointConfig(store: RunStore, id: string, config: RunConfig): Promise<void> {
  const recorded = await store.readCheckpointConfig(id);
  if (recorded === undefined || recorded.hash === configHash(config)) return;
  let values: RunConfig;
  try {
    values = parseRunConfig(recorded.values);
  } catch {
    values = recorded.values;
  }
  const keys = differingKeys(values, config);
  if (keys.length === 0) return;
  const where = store.where(id);
  const changes = keys.map((k) => `${k} ${shown((values as Record<string, unknown>)[k])} → ${shown((config as Record<string, unknown>)[k])}`).join(', ');
  throw new OverparamError(
    'RUN_MISMATCH',
    `${where}/config.json was changed after the run started (${changes}), so resuming would not continue the run its checkpoint holds; undo the change, or start a new run with it: overparam train --config ${where}/config.json --set key=value --out NEW_DIR`,
  );
}

/** Refuses (RUN_CORRUPT) an ended run whose records are not the ones its summary counted. */
export async function checkEndedRecords(store: RunStore, id: string): Promise<void> {
  const summary = await store.readSummary(id);
  const problem = recordsMismatch(`${store.where(id)}/metrics.jsonl`, summary?.records, await store.readRecordsDigest(id));
  if (problem !== undefined) {
    throw new OverparamError('RUN_CORRUPT', `${problem}; its records cannot be trusted: train it again into a new directory (overparam train --config ${store.where(id)}/config.json --out NEW_DIR)`);
  }
}
