import type { RunRecord } from '@overparam/core';
import { getAtPath } from '../config/dotted-path';
import type { RunView } from './run-view';

/**
 * Reading numbers out of a run's records: the one set of accessors that criteria and figures
 * share, so a figure draws exactly the value a criterion judged.
 */

/** Anything that carries records: a run view, or a figure's labelled run. */
type WithRecords = { readonly records: readonly RunRecord[] };

/** The records a hook or the loop wrote under `kind`, in step order. */
export function recordsOf(run: WithRecords, kind: string): RunRecord[] {
  return run.records.filter((r) => r.kind === kind).sort((a, b) => a.step - b.step);
}

/** A field that is a finite number, else undefined (JSON writes null for NaN; `diverged` writes a string). */
export function numberField(record: RunRecord | undefined, field: string): number | undefined {
  const v = record?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The last record of `kind` (the hooks measure at the end of training by default), if any. */
export function lastRecord(run: WithRecords, kind: string): RunRecord | undefined {
  return recordsOf(run, kind).at(-1);
}

/** `field` of the last record of `kind`. */
export function lastValue(run: WithRecords, kind: string, field: string): number | undefined {
  return numberField(lastRecord(run, kind), field);
}

/** `field` of the first record of `kind` (with `start: true`, the initialization). */
export function firstValue(run: WithRecords, kind: string, field: string): number | undefined {
  return numberField(recordsOf(run, kind)[0], field);
}

/** The value a run has at a config path (what its sweep cell set it to, or its config's). */
export function settingOf(run: Pick<RunView, 'overrides' | 'config'>, path: string): unknown {
  return path in run.overrides ? run.overrides[path] : getAtPath(run.config, path);
}
