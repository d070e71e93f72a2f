import type { ImportedModelRecord } from '../run/imported-model';
import type { BackendSettings, RunRecord, TrainCheckpoint } from '@overparam/core';
import type { RunConfig } from '../config/config';
import type { RunSummary } from './summary';
import type { RecordsDigest } from './records-digest';

/**
 * Where a run stands. `running`: started and not ended — still going, or killed (SIGKILL, power
 * loss), in which case `--resume` continues it from its last checkpoint. The others are the
 * summary's `outcome`.
 */
export type RunStatus = 'absent' | 'running' | 'completed' | 'diverged' | 'aborted' | 'failed';
export const runStatuses: readonly RunStatus[] = ['absent', 'running', 'completed', 'diverged', 'aborted', 'failed'];

/** What a run was given beyond its config: the backend it got, the model built, each start. */
export interface RunInfo {
  readonly backend: string;
  readonly backendSkipped: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  /** The settings the backend fixed when it loaded, chosen for this run's workload (node: `onednn`, `onednnChosenBy`); absent in runs written before they were recorded. */
  readonly backendSettings?: BackendSettings;
  /** `imported`: a model read from the config's model file, the path its import took and why (absent for an architecture). */
  readonly model: { readonly name: string; readonly paramCount: number; readonly options: Readonly<Record<string, unknown>>; readonly imported?: ImportedModelRecord };
  /**
   * One entry per start: the first, then every resume (ISO time and the step it resumed from), and
   * `replicas`, the size of the replica group it trained in, when it trained in one (on wasm and
   * node a run's last digits depend on its group).
   */
  readonly attempts: ReadonlyArray<{ readonly startedAt: string; readonly fromStep: number; readonly replicas?: number }>;
}

/** Appends a run's records (metrics.jsonl); `sync` makes what was written durable. */
export interface RecordWriter {
  write(record: RunRecord): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
  /** The count and checksum of every record the file holds, those written here included (summary.json's `records`). */
  digest(): RecordsDigest;
}

/** A run's writer lock, held from before its first write to its end (see store/lock.ts). */
export interface RunLock {
  release(): Promise<void>;
}

/**
 * Everything runs are written to and read from. Two implementations: a directory per run in
 * Node (`directoryStore`, @overparam/experiments/node) and memory (`memoryStore`, anywhere,
 * browsers included). A run is known by an id: a name within the store.
 */
export interface RunStore {
  /** Where the store is, for messages: a directory, or "memory". */
  readonly location: string;
  /** Where run `id` is, for messages. */
  where(id: string): string;
  /** Starts a run: config and info written, no records. Fails with RUN_EXISTS when `id` holds one. */
  create(id: string, config: RunConfig, info: RunInfo): Promise<void>;
  updateInfo(id: string, info: RunInfo): Promise<void>;
  /** Appends to the run's records from the end (after `truncateRecords` on a resume). */
  records(id: string): Promise<RecordWriter>;
  /** Keeps the first `count` complete records and drops the rest, a torn last line included. */
  truncateRecords(id: string, count: number): Promise<void>;
  /** Saves the latest checkpoint; `config` is the resolved config trained with, recorded with its hash. */
  saveCheckpoint(id: string, checkpoint: TrainCheckpoint, modelName: string, config?: RunConfig): Promise<void>;
  loadCheckpoint(id: string): Promise<TrainCheckpoint | undefined>;
  /** The config the latest checkpoint recorded (with its hash), if there is a checkpoint that recorded one. */
  readCheckpointConfig(id: string): Promise<{ hash: string; values: RunConfig } | undefined>;
  /**
   * Makes this caller the one writer of run `id` until `release`, or throws RUN_LOCKED naming the
   * writer there is (another process, or this one). Taken before the first write of a run.
   */
  lock(id: string): Promise<RunLock>;
  writeSummary(id: string, summary: RunSummary): Promise<void>;
  /** Removes the summary, so that a resumed aborted or failed run reads as running again. */
  clearSummary(id: string): Promise<void>;
  /** Extra files of a run (a measurement's gram.f64, examples.json, …). */
  writeArtifact(id: string, name: string, data: Uint8Array | string): Promise<void>;
  /** Removes the artifacts a store holds for `id`, so a new measurement leaves nothing of an old one. */
  clearArtifacts(id: string, names: readonly string[]): Promise<void>;

  status(id: string): Promise<RunStatus>;
  readConfig(id: string): Promise<RunConfig | undefined>;
  readInfo(id: string): Promise<RunInfo | undefined>;
  readSummary(id: string): Promise<RunSummary | undefined>;
  readRecords(id: string): Promise<RunRecord[]>;
  /** The count and checksum of the complete records stored now, to compare with summary.json's `records`. */
  readRecordsDigest(id: string): Promise<RecordsDigest>;
  /** The ids of the runs it holds, sorted. */
  list(): Promise<string[]>;
}
