import type { RunRecord } from '@overparam/core';
import type { RunConfig } from '../config/config';
import type { RunSummary } from '../store/summary';
import type { RunInfo, RunStatus } from '../store/types';

/**
 * One run as what reads results sees it (a preset's criteria, the report's figures, the
 * playground): what it is, how it ended, what it recorded. Read from a store by `readRunViews`.
 */
export interface RunView {
  readonly id: string;
  readonly status: RunStatus;
  /** The grid values of the run's sweep cell by dotted path (lr included when searched); `{}` outside a sweep. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** The run's config (the sweep cell's, or config.json); undefined while a run outside a sweep has none on file yet. */
  readonly config: RunConfig | undefined;
  /** run.json: the backend it got, the model built, each start and resume (absent before the run starts). */
  readonly info?: RunInfo;
  /** summary.json, written when the run ended. */
  readonly summary: RunSummary | undefined;
  readonly records: readonly RunRecord[];
}

/** A run of a sweep as a preset's criteria see it: the sweep made its config, so it is always there. */
export type CellResult = RunView & { readonly config: RunConfig };
