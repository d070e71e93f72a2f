import { OverparamError } from '@overparam/core';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadRuns, readMeasurementFiles, recordsMismatch, type LabelledRunView, type LrPickView, type SweepManifest } from '@overparam/experiments';
import { directoryStore, readLrPicks, readSweepManifest, RUN_FILES, SWEEP_FILES } from '@overparam/experiments/node';
import { maxHeatmapSize } from './charts/gram-heatmap';
import type { MeasurementView } from './measurement';

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** A measurement directory: measure.json, and its Gram when there is one small enough to draw. */
async function readMeasurement(root: string): Promise<MeasurementView> {
  const files = await readMeasurementFiles(async (name) => new Uint8Array(await readFile(join(root, name))), root, { maxGramSize: maxHeatmapSize });
  return { id: basename(root), ...files };
}

/**
 * What a directory given to `overparam report` holds: a sweep (sweep.json, runs under runs/), one
 * run (config.json), or a folder of run directories. Runs are read through experiments'
 * `directoryStore`, sweep.json and lr-search.json through experiments' readers beside their writers.
 */
export interface ReportInput {
  readonly runs: LabelledRunView[];
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
async function runsOf(root: string, options: Parameters<typeof loadRuns>[1]): Promise<{ runs: LabelledRunView[]; warnings: string[] }> {
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
  const sweep = await readSweepManifest(root);
  if (sweep !== undefined) {
    const read = await runsOf(join(root, SWEEP_FILES.runs), { sweep });
    // Written once every cell has ended; a sweep still going has none yet.
    const lrPicks = await readLrPicks(root);
    return { ...read, sweep, ...(lrPicks !== undefined ? { lrPicks } : {}), name: sweep.name };
  }
  if (await isFile(join(root, 'measure.json'))) return { runs: [], measurements: [await readMeasurement(root)], name: basename(root) };
  if (await isFile(join(root, RUN_FILES.config))) return { ...(await runsOf(dirname(root), { ids: [basename(root)] })), name: basename(root) };
  const ids = await directoryStore(root).list();
  if (ids.length === 0) {
    throw new OverparamError('RUN_IO', `${dir} holds no run: expected a run directory (config.json), a sweep directory (sweep.json), a measurement (measure.json) or a folder of run directories`);
  }
  return { ...(await runsOf(root, { ids })), name: basename(root) };
}
