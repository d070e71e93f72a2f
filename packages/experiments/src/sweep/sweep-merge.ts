import { OverparamError } from '@overparam/core';
import { cp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LOCK_FILE, lockDirectory } from '../store/lock';
import type { RunStatus } from '../store/types';
import type { SweepCell, SweepSpec } from './sweep';
import { pickRates, sweepStore } from './sweep-runner';
import { cellIds, claimSweepDirectory, readSweepDirectory } from './sweep-files';
import { SWEEP_FILES } from './sweep-manifest';
import type { LrPick } from './lr-search';

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
 * same sweep (the same cells), or nothing is written; so must `outDir`, when it holds one. The
 * merge is `outDir`'s one writer while it runs (its lock.json).
 */
export async function mergeSweeps(outDir: string, shardDirs: readonly string[]): Promise<MergeReport> {
  if (shardDirs.length === 0) throw new OverparamError('SWEEP_INVALID', 'sweep merge: name at least one shard directory');
  const shards = [];
  for (const dir of shardDirs) shards.push({ dir, ...(await readSweepDirectory(dir)) });
  const first = shards[0]!;
  for (const s of shards.slice(1)) {
    if (cellIds(s.cells) !== cellIds(first.cells)) throw new OverparamError('SWEEP_INVALID', `sweep merge: ${s.dir} holds sweep '${s.spec.name}' with other cells than ${first.dir} ('${first.spec.name}'); merge shards of one sweep only`);
  }
  const lock = await lockDirectory(outDir);
  try {
    await claimSweepDirectory(outDir, first.spec, first.cells, {
      verb: 'merged',
      fix: 'merge into an empty or new directory, or into one that holds this same sweep (one of its shards, an earlier merge)',
    });
    return await copyEnded(outDir, shards, first);
  } finally {
    await lock.release();
  }
}

async function copyEnded(outDir: string, shards: ReadonlyArray<{ dir: string; cells: SweepCell[] }>, first: { spec: SweepSpec; cells: SweepCell[] }): Promise<MergeReport> {
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
        // A lock left in an ended run (its process killed after its summary) is no writer of the copy.
        await cp(join(s.dir, SWEEP_FILES.runs, cell.id), join(outDir, SWEEP_FILES.runs, cell.id), { recursive: true, filter: (source) => basename(source) !== LOCK_FILE });
      }
    }
  }
  const duplicated = [...endedIn].filter(([, where]) => where.length > 1).map(([id, where]) => ({ id, shards: where }));
  const missing = first.cells.filter((c) => !endedIn.has(c.id)).map((c) => ({ id: c.id, overrides: c.overrides, seed: c.seed, status: latest.get(c.id) ?? 'absent' }));
  const lrPicks = missing.length === 0 ? await pickRates(outDir, first.spec, first.cells) : undefined;
  return { outDir, cells: first.cells.length, merged: endedIn.size, duplicated, missing, ...(lrPicks ? { lrPicks } : {}) };
}
