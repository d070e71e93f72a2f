/**
 * A minimal reader of run directories, standing in for experiments' `directoryStore(root)` until
 * that lands: REPLACE this file with `directoryStore` from `@overparam/experiments/node` at merge
 * (it satisfies `RunSource` as is). Nothing else in the report depends on how runs are read.
 */
import type { RunRecord } from '@overparam/core';
import { OverparamError } from '@overparam/core';
import type { RunSummary } from '@overparam/experiments';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSource, RunStatus } from './source';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new OverparamError('RUN_IO', `cannot read ${path}: ${e.message}`, { cause: e });
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${path} is not valid JSON (${(e as Error).message}); was it cut short? Rerun the run or remove the file`, { cause: e });
  }
}

/**
 * metrics.jsonl, one record per line. A last line without its newline may be a record still
 * being written by a live run and is left out; a bad line before it is an error naming the line.
 */
export function parseRecords(text: string, path: string): RunRecord[] {
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines;
  const records: RunRecord[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as RunRecord);
    } catch (e) {
      if (i === complete.length - 1 && !text.endsWith('\n')) return;
      throw new OverparamError('RUN_IO', `${path}, line ${i + 1}, is not a JSON record (${(e as Error).message}); the file is corrupt`, { cause: e });
    }
  });
  return records;
}

/** Runs stored as `<root>/<id>/{config.json, metrics.jsonl, summary.json}`. */
export function directoryRunSource(root: string): RunSource {
  const dir = (id: string) => join(root, id);
  return {
    async list() {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
      const ids: string[] = [];
      for (const e of entries) if (e.isDirectory() && (await exists(join(root, e.name, 'config.json')))) ids.push(e.name);
      return ids.sort();
    },
    async status(id): Promise<RunStatus> {
      if (await exists(join(dir(id), 'summary.json'))) {
        const outcome = (await readJson(join(dir(id), 'summary.json')) as { outcome?: unknown }).outcome;
        return outcome === 'completed' || outcome === 'diverged' || outcome === 'aborted' || outcome === 'failed' ? outcome : 'failed';
      }
      // A config without a summary: still running, or stopped without writing one.
      return (await exists(join(dir(id), 'config.json'))) ? 'running' : 'absent';
    },
    readConfig: (id) => readJson(join(dir(id), 'config.json')),
    async readSummary(id) {
      const path = join(dir(id), 'summary.json');
      return (await exists(path)) ? ((await readJson(path)) as RunSummary) : null;
    },
    async readRecords(id) {
      const path = join(dir(id), 'metrics.jsonl');
      if (!(await exists(path))) return [];
      return parseRecords(await readFile(path, 'utf8'), path);
    },
  };
}
