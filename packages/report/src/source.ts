import type { RunStore } from '@overparam/experiments';

export type { RunStatus, RunInfo } from '@overparam/experiments';

/**
 * What the report reads from a run store: the read side of experiments' `RunStore`, so
 * `directoryStore(root)` and `memoryStore()` serve as they are, and the report never writes.
 */
export type RunSource = Pick<RunStore, 'list' | 'status' | 'readConfig' | 'readInfo' | 'readSummary' | 'readRecords'>;

/** One cell of a sweep: the run `id` under `runs/`, the values it overrides, its seed. */
export interface SweepCell {
  readonly id: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** sweep.json: the sweep's spec with its cells. */
export interface SweepManifest {
  readonly name: string;
  readonly base?: unknown;
  readonly grid?: Readonly<Record<string, readonly unknown[]>>;
  readonly seeds?: readonly number[];
  readonly cells: readonly SweepCell[];
}
