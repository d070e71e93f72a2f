import type { RunRecord } from '@overparam/core';

/** The records a hook or the loop wrote under `kind`, in step order. */
export function recordsOfKind(records: readonly RunRecord[], kind: string): RunRecord[] {
  return records.filter((r) => r.kind === kind).sort((a, b) => a.step - b.step);
}

/** A numeric field that is a finite number, else undefined (JSON writes null for NaN; `diverged` writes a string). */
export function finiteField(record: RunRecord | undefined, field: string): number | undefined {
  const v = record?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The last record of `kind` (the measurement at the end of training), if any. */
export function lastOfKind(records: readonly RunRecord[], kind: string): RunRecord | undefined {
  const all = recordsOfKind(records, kind);
  return all[all.length - 1];
}
