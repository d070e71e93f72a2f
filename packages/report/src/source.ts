import type { RunRecord } from '@overparam/core';
import type { RunSummary } from '@overparam/experiments';

/** Where a run stands, as the run store reports it. */
export type RunStatus = 'absent' | 'running' | 'completed' | 'diverged' | 'aborted' | 'failed';

/**
 * What the report reads from a run store: exactly the read side of experiments' `RunStore`, so
 * `directoryStore(root)` and `memoryStore()` satisfy it structurally. The report never writes.
 * `readConfig` is `unknown` because the report only shows config.json and reads a few fields
 * defensively (see `run-view.ts`); a store may return its own richer type.
 */
export interface RunSource {
  list(): Promise<string[]>;
  status(id: string): Promise<RunStatus>;
  readConfig(id: string): Promise<unknown>;
  readSummary(id: string): Promise<RunSummary | null | undefined>;
  readRecords(id: string): Promise<RunRecord[]>;
}

/** One cell of a sweep: the run `id` under `runs/`, the values it overrides, its seed. */
export interface SweepCell {
  readonly id: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** sweep.json. */
export interface SweepManifest {
  readonly name: string;
  readonly base?: unknown;
  readonly grid?: Readonly<Record<string, readonly unknown[]>>;
  readonly seeds?: readonly number[];
  readonly cells: readonly SweepCell[];
}
