import { OverparamError } from '@overparam/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory, writeFileAtomic } from '../store/files';
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
  const path = join(outDir, SWEEP_FILES.spec);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<SweepRecord>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OverparamError('RUN_IO', `${path} cannot be read (${(e as Error).message}); delete it or choose another --out`);
  }
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
  const path = join(outDir, SWEEP_FILES.spec);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new OverparamError('RUN_IO', `${outDir} is not a sweep directory (cannot read ${path}: ${(e as Error).message})`);
  }
  const { cells: _cells, ...given } = JSON.parse(text) as SweepRecord;
  const spec = parseSweep(given);
  return { spec, cells: sweepCells(spec) };
}

/** The file's JSON, or a one-line error naming it. */
async function readJson(path: string, cutShort: boolean): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${path} is not valid JSON (${(e as Error).message})${cutShort ? '; it may have been cut short' : ''}`, { cause: e });
  }
}

const exists = (e: unknown) => (e as NodeJS.ErrnoException).code !== 'ENOENT';

/**
 * sweep.json as a reader takes it (its cells: id, overrides, seed), checked, without expanding
 * the sweep again; undefined when `dir` holds none (it is a run or a folder of runs).
 */
export async function readSweepManifest(dir: string): Promise<SweepManifest | undefined> {
  const path = join(dir, SWEEP_FILES.spec);
  const value = await readJson(path, false).catch((e: unknown) => {
    if (exists(e)) throw e;
    return undefined;
  });
  return value === undefined ? undefined : checkSweepManifest(value, path);
}

export async function writeLrPicks(outDir: string, picks: readonly LrPick[]): Promise<void> {
  await writeFileAtomic(join(outDir, SWEEP_FILES.lrSearch), `${JSON.stringify(picks, null, 2)}\n`);
}

/** lr-search.json, checked; undefined when the sweep searched no rate or has not ended yet. */
export async function readLrPicks(dir: string): Promise<LrPickView[] | undefined> {
  const path = join(dir, SWEEP_FILES.lrSearch);
  const value = await readJson(path, true).catch((e: unknown) => {
    if (exists(e)) throw e;
    return undefined;
  });
  return value === undefined ? undefined : checkLrPicks(value, path);
}
