import { OverparamError } from '@overparam/core';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { directoryStore } from '@overparam/experiments/node';
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

/**
 * What a directory given to `overparam report` holds: a sweep (sweep.json, runs under runs/), one
 * run (config.json), or a folder of run directories. Runs are read through experiments'
 * `directoryStore`; sweep.json is read here (its cells: id, overrides, seed).
 */
export async function readReportInput(dir: string): Promise<{ runs: ReportRun[]; sweep?: SweepManifest; name: string }> {
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
    return { runs: await loadRuns(directoryStore(join(root, 'runs')), { sweep }), sweep, name: sweep.name };
  }
  if (await isFile(join(root, 'config.json'))) {
    return { runs: await loadRuns(directoryStore(dirname(root)), { ids: [basename(root)] }), name: basename(root) };
  }
  const source = directoryStore(root);
  const ids = await source.list();
  if (ids.length === 0) {
    throw new OverparamError('RUN_IO', `${dir} holds no run: expected a run directory (config.json), a sweep directory (sweep.json) or a folder of run directories`);
  }
  return { runs: await loadRuns(source, { ids }), name: basename(root) };
}
