import { OverparamError } from '@overparam/core';
import { join } from 'node:path';
import { makeDirectory, readTextIfPresent, writeFileAtomic } from '../store/files';
import type { LrPick } from './lr-search';
import { canonicalJson, parseSweep, sweepCells, type SweepCell, type SweepSpec } from './sweep';
import { checkLrPicks, checkSweepManifest, SWEEP_FILES, type LrPickView, type SweepManifest, type SweepManifestCell } from './sweep-manifest';

/**
 * A sweep directory's own files on disk, each reader beside its writer: `sweep.json` (written
 * when a sweep claims its directory; read back by `sweep cell`, merge and the report) and
 * `lr-search.json` (written once every cell has ended; read by the report).
 */

/** What a sweep writes as its sweep.json: the spec as given and its cells. */
type SweepRecord = SweepSpec & { readonly cells: readonly SweepManifestCell[] };

/** sweep.json as written, unchecked (a claim reports what it found), or undefined when there is none. */
async function readSweepRecord(outDir: string): Promise<Partial<SweepRecord> | undefined> {
  return (await readJsonIfPresent(join(outDir, SWEEP_FILES.spec), '; delete it or choose another --out')) as Partial<SweepRecord> | undefined;
}

/** A sweep's identity: its cells' ids, in any order. */
export const cellIds = (cells: ReadonlyArray<{ readonly id: string }>) => canonicalJson(cells.map((c) => c.id).sort());

/**
 * Writes sweep.json, or checks that the directory holds this very sweep (the same cells). `verb`
 * and `fix` say, in the refusal, what was being done and how to go on.
 */
export async function claimSweepDirectory(outDir: string, spec: SweepSpec, cells: readonly SweepCell[], refusal: { verb: string; fix: string }): Promise<void> {
  await makeDirectory(join(outDir, SWEEP_FILES.runs));
  const existing = await readSweepRecord(outDir);
  if (existing !== undefined) {
    if (!Array.isArray(existing.cells) || cellIds(existing.cells) !== cellIds(cells)) {
      const held = Array.isArray(existing.cells) ? `'${existing.name}', ${existing.cells.length} cells` : 'no list of cells';
      throw new OverparamError('SWEEP_INVALID', `${outDir} holds another sweep (${held}), so '${spec.name}' cannot be ${refusal.verb} there; ${refusal.fix}`);
    }
    return;
  }
  const record: SweepRecord = { ...spec, cells: cells.map(({ id, overrides, seed }) => ({ id, overrides, seed })) };
  await writeFileAtomic(join(outDir, SWEEP_FILES.spec), `${JSON.stringify(record, null, 2)}\n`);
}

/** Reads a sweep directory's spec and expands its cells again, configs included (for `sweep cell` and merge). */
export async function readSweepDirectory(outDir: string): Promise<{ spec: SweepSpec; cells: SweepCell[] }> {
  const record = (await readJsonIfPresent(join(outDir, SWEEP_FILES.spec), '; delete it or choose another --out')) as SweepRecord | undefined;
  if (record === undefined) throw new OverparamError('RUN_IO', `${outDir} is not a sweep directory (it has no ${SWEEP_FILES.spec})`);
  const { cells: _cells, ...given } = record;
  const spec = parseSweep(given);
  return { spec, cells: sweepCells(spec) };
}

/** A file's JSON, undefined when the file does not exist, or a one-line error naming it (`fix` ends it). */
async function readJsonIfPresent(path: string, fix: string): Promise<unknown> {
  const text = await readTextIfPresent(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${path} is not valid JSON (${(e as Error).message})${fix}`, { cause: e });
  }
}

/**
 * sweep.json as a reader takes it (its cells: id, overrides, seed), checked, without expanding
 * the sweep again; undefined when `dir` holds none (it is a run or a folder of runs).
 */
export async function readSweepManifest(dir: string): Promise<SweepManifest | undefined> {
  const path = join(dir, SWEEP_FILES.spec);
  const value = await readJsonIfPresent(path, '');
  return value === undefined ? undefined : checkSweepManifest(value, path);
}

export async function writeLrPicks(outDir: string, picks: readonly LrPick[]): Promise<void> {
  await writeFileAtomic(join(outDir, SWEEP_FILES.lrSearch), `${JSON.stringify(picks, null, 2)}\n`);
}

/** lr-search.json, checked; undefined when the sweep searched no rate or has not ended yet. */
export async function readLrPicks(dir: string): Promise<LrPickView[] | undefined> {
  const path = join(dir, SWEEP_FILES.lrSearch);
  const value = await readJsonIfPresent(path, '; it may have been cut short');
  return value === undefined ? undefined : checkLrPicks(value, path);
}
