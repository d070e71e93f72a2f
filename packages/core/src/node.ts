/**
 * Node-only helpers (file sinks, atomic writes). Kept out of the main entry so the core runs
 * unchanged in a browser.
 */
import { open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { OverparamError } from './errors';
import type { RecordSink, RunRecord } from './train/types';

/** Appends one JSON object per line to `path` (created if missing). */
export class JsonlFileSink implements RecordSink {
  private handle: Promise<FileHandle> | null = null;
  constructor(readonly path: string) {}

  async write(record: RunRecord): Promise<void> {
    this.handle ??= open(this.path, 'a').catch((e: unknown) => {
      throw new OverparamError('RUN_IO', `cannot open ${this.path} for appending: ${(e as Error).message}`, { cause: e });
    });
    await (await this.handle).write(`${JSON.stringify(record)}\n`);
  }

  async close(): Promise<void> {
    if (this.handle !== null) await (await this.handle).close();
    this.handle = null;
  }
}

/** Writes JSON to `path` through a temporary file and a rename, so readers never see half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, path);
}
