import { OverparamError } from '@overparam/core';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from './store/files';
import type { RunStatus } from './store/types';
import { canonicalJson, type SweepCell } from './sweep';
import { pickRates, readSweepDirectory, SWEEP_FILES, sweepStore } from './sweep-runner';
import type { LrPick } from './lr-search';
import { writeFileAtomic } from './store/files';

export interface MergeReport {
  readonly outDir: string;
  readonly cells: number;
  readonly merged: number;
  /** Cells that ended in more than one shard directory (the first, in the order given, was kept). */
  readonly duplicated: ReadonlyArray<{ readonly id: string; readonly shards: readonly string[] }>;
  /** Cells that ended in no shard directory: rerun those shards (finished runs are skipped). */
  readonly missing: ReadonlyArray<Pick<SweepCell, 'id' | 'overrides' | 'seed'> & { readonly status: RunStatus }>;
  readonly lrPicks?: readonly LrPick[];
}

const ENDED: readonly RunStatus[] = ['completed', 'diverged', 'failed'];

/**
 * Joins shard directories of one sweep into `outDir`: every ended run is copied into
 * outDir/runs/<id>; cells that ended twice or never are reported. The shards must hold the
 * same sweep (the same cells), or nothing is written.
 */
export async function mergeSweeps(outDir: string, shardDirs: readonly string[]): Promise<MergeReport> {
  if (shardDirs.length === 0) throw new OverparamError('SWEEP_INVALID', 'sweep merge: name at least one shard directory');
  const shards = [];
  for (const dir of shardDirs) shards.push({ dir, ...(await readSweepDirectory(dir)) });
  const ids = (cells: readonly SweepCell[]) => canonicalJson(cells.map((c) => c.id).sort());
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    if (ids(s.cells) !== ids(first.cells)) throw new OverparamError('SWEEP_INVALID', `sweep merge: ${s.dir} holds sweep '${s.spec.name}' with other cells than ${first.dir} ('${first.spec.name}'); merge shards of one sweep only`);
  }
  await makeDirectory(join(outDir, SWEEP_FILES.runs));
  await writeFileAtomic(join(outDir, SWEEP_FILES.spec), `${JSON.stringify({ ...first.spec, cells: first.cells.map(({ id, overrides, seed }) => ({ id, overrides, seed })) }, null, 2)}\n`);
  const target = sweepStore(outDir);

  const endedIn = new Map<string, string[]>();
  const latest = new Map<string, RunStatus>();
  for (const s of shards) {
    const store = sweepStore(s.dir);
    for (const cell of s.cells) {
      const status = await store.status(cell.id);
      if (!ENDED.includes(status)) {
        if (status !== 'absent' && !latest.has(cell.id)) latest.set(cell.id, status);
        continue;
      }
      const where = endedIn.get(cell.id) ?? [];
      where.push(s.dir);
      endedIn.set(cell.id, where);
      latest.set(cell.id, status);
      if (where.length === 1 && (await target.status(cell.id)) === 'absent') {
        await cp(join(s.dir, SWEEP_FILES.runs, cell.id), join(outDir, SWEEP_FILES.runs, cell.id), { recursive: true });
      }
    }
  }
  const duplicated = [...endedIn].filter(([, where]) => where.length > 1).map(([id, where]) => ({ id, shards: where }));
  const missing = first.cells.filter((c) => !endedIn.has(c.id)).map((c) => ({ id: c.id, overrides: c.overrides, seed: c.seed, status: latest.get(c.id) ?? 'absent' }));
  const lrPicks = missing.length === 0 ? await pickRates(outDir, first.spec, first.cells) : undefined;
  return { outDir, cells: first.cells.length, merged: endedIn.size, duplicated, missing, ...(lrPicks ? { lrPicks } : {}) };
}
