import type { RunConfig } from '../config/config';
import type { RunStore } from '../store/types';
import type { SweepManifest } from '../sweep/sweep-manifest';
import { labelRuns, type LabelledRunView } from './labels';
import type { RunView } from './run-view';

/**
 * What reading results needs of a run store: its read side, so `directoryStore(root)` and
 * `memoryStore()` serve as they are, and a reader never writes.
 */
export type RunSource = Pick<RunStore, 'list' | 'status' | 'readConfig' | 'readInfo' | 'readSummary' | 'readRecords'>;

/** A run to read: its id, and what its sweep cell says of it (overrides, seed, and the config when the caller has it). */
export interface RunEntry {
  readonly id: string;
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  readonly config?: RunConfig;
}

/**
 * Reads runs as they are now: a run can be read while it is written, so what is there is
 * returned and what is not yet is undefined (a run that never started reads as `absent`).
 */
export async function readRunViews(source: RunSource, entries: readonly RunEntry[]): Promise<RunView[]> {
  return Promise.all(
    entries.map(async (entry): Promise<RunView> => {
      const status = await source.status(entry.id);
      const present = status !== 'absent';
      const config = entry.config ?? (present ? await source.readConfig(entry.id) : undefined);
      const info = present ? await source.readInfo(entry.id) : undefined;
      return {
        id: entry.id,
        status,
        overrides: entry.overrides ?? {},
        seed: entry.seed ?? (typeof config?.seed === 'number' ? config.seed : 0),
        config,
        ...(info !== undefined ? { info } : {}),
        summary: present ? await source.readSummary(entry.id) : undefined,
        records: present ? await source.readRecords(entry.id) : [],
      };
    }),
  );
}

/**
 * Reads runs through a `RunSource` and labels them for figures: a sweep's cells (sweep.json) by
 * their overrides, the given `ids` or every run of the source by what differs between their configs.
 */
export async function loadRuns(source: RunSource, options: { ids?: readonly string[]; sweep?: SweepManifest } = {}): Promise<LabelledRunView[]> {
  const ids = options.ids ?? (options.sweep !== undefined ? options.sweep.cells.map((c) => c.id) : await source.list());
  const cells = new Map(options.sweep?.cells.map((c) => [c.id, c]));
  const runs = await readRunViews(
    source,
    ids.map((id) => cells.get(id) ?? { id }),
  );
  return labelRuns(runs, (r) => cells.has(r.id));
}
