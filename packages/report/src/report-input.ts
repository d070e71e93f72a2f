import { OverparamError } from '@overparam/core';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readMeasurementFiles, recordsMismatch } from '@overparam/experiments';
import { directoryStore, RUN_FILES, SWEEP_FILES } from '@overparam/experiments/node';
import { maxHeatmapSize } from './charts/gram-heatmap';
import { checkLrPicks, type LrPickView } from './lr-picks';
import type { MeasurementView } from './measurement';
import { loadRuns, type ReportRun } from './run-view';
import type { SweepManifest } from './source';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

function checkSweep(value: unknown, path: string): SweepManifest {
  const cells = (value as { cells?: unknown } | null)?.cells;
  const ok = Array.isArray(cells) && cells.every((c) => c !== null && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string');
  if (!ok) throw new OverparamError('RUN_IO', `${path} has no list of cells with ids; is it a sweep.json written by overparam sweep?`);
  return value as SweepManifest;
}

async function readJsonFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${path} is not valid JSON (${(e as Error).message}); it may have been cut short`, { cause: e });
  }
}

/** A measurement directory: measure.json, and its Gram when there is one small enough to draw. */
async function readMeasurement(root: string): Promise<MeasurementView> {
  const files = await readMeasurementFiles(async (name) => new Uint8Array(await readFile(join(root, name))), root, { maxGramSize: maxHeatmapSize });
  return { id: basename(root), ...files };
}

/**
 * What a directory given to `overparam report` holds: a sweep (sweep.json, runs under runs/), one
 * run (config.json), or a folder of run directories. Runs are read through experiments'
 * `directoryStore`; sweep.json (its cells: id, overrides, seed) and lr-search.json are read here.
 */
export interface ReportInput {
  readonly runs: ReportRun[];
  readonly sweep?: SweepManifest;
  /** lr-search.json beside sweep.json: the rate picked per grid point, when the sweep searched it. */
  readonly lrPicks?: LrPickView[];
  readonly measurements?: MeasurementView[];
  readonly name: string;
  /** Runs whose records do not match their summary (lost or changed after the run ended), one line each. */
  readonly warnings?: string[];
}

/**
 * Runs read through a directory store, and a warning for each ended run whose metrics.jsonl is not
 * what its summary.json counted: the figures then show what is left, and the reader is told so.
 */
async function runsOf(root: string, options: Parameters<typeof loadRuns>[1]): Promise<{ runs: ReportRun[]; warnings: string[] }> {
  const store = directoryStore(root);
  const runs = await loadRuns(store, options);
  const warnings: string[] = [];
  for (const run of runs) {
    if (run.summary?.records === undefined) continue;
    const problem = recordsMismatch(join(store.where(run.id), RUN_FILES.records), run.summary.records, await store.readRecordsDigest(run.id));
    if (problem !== undefined) warnings.push(`${problem}; its figures show the records that are left`);
  }
  return { runs, warnings };
}

export async function readReportInput(dir: string): Promise<ReportInput> {
  const root = resolve(dir);
  const sweepPath = join(root, 'sweep.json');
  if (await isFile(sweepPath)) {
    const text = await readFile(sweepPath, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new OverparamError('RUN_IO', `${sweepPath} is not valid JSON (${(e as Error).message})`, { cause: e });
    }
    const sweep = checkSweep(parsed, sweepPath);
    const read = await runsOf(join(root, SWEEP_FILES.runs), { sweep });
    const lrSearchPath = join(root, SWEEP_FILES.lrSearch);
    // Written once every cell has ended; a sweep still going has none yet.
    if (!(await isFile(lrSearchPath))) return { ...read, sweep, name: sweep.name };
    return { ...read, sweep, lrPicks: checkLrPicks(await readJsonFile(lrSearchPath), lrSearchPath), name: sweep.name };
  }
  if (await isFile(join(root, 'measure.json'))) return { runs: [], measurements: [await readMeasurement(root)], name: basename(root) };
  if (await isFile(join(root, RUN_FILES.config))) return { ...(await runsOf(dirname(root), { ids: [basename(root)] })), name: basename(root) };
  const ids = await directoryStore(root).list();
  if (ids.length === 0) {
    throw new OverparamError('RUN_IO', `${dir} holds no run: expected a run directory (config.json), a sweep directory (sweep.json), a measurement (measure.json) or a folder of run directories`);
  }
  return { ...(await runsOf(root, { ids })), name: basename(root) };
}
