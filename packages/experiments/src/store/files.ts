import { OverparamError } from '@overparam/core';
import { lstat, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, parse, resolve } from 'node:path';

/**
 * A file-system failure as one line: what we tried, on which path, and the system's reason.
 * `retry` says what to do once space is freed (a run resumes; a report is written again).
 */
export function ioError(action: string, path: string, e: unknown, retry = 'resume the run'): OverparamError {
  const err = e as NodeJS.ErrnoException;
  const reason = err.code === 'ENOSPC' ? `no space left on device (ENOSPC); free some space, then ${retry}` : `${err.message ?? String(e)}`;
  return new OverparamError('RUN_IO', `cannot ${action} ${path}: ${reason}`, { cause: e });
}

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir spins forever at 100% CPU on
 * some special file systems (`mkdir('/proc/x', { recursive: true })` never returns), so each
 * level is created and checked here, and the first that cannot be is reported.
 */
export async function makeDirectory(path: string, retry?: string): Promise<void> {
  const absolute = resolve(path);
  const levels: string[] = [];
  for (let p = absolute; p !== parse(p).root; p = dirname(p)) levels.unshift(p);
  for (const level of levels) {
    try {
      await mkdir(level);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw ioError('create the directory', level, e, retry);
      const s = await stat(level).catch((err: unknown) => {
        throw ioError('inspect', level, err, retry);
      });
      if (!s.isDirectory()) throw new OverparamError('RUN_IO', `cannot create the directory ${absolute}: ${level} exists and is not a directory`);
    }
  }
}

/** Writes a whole file durably: to a temporary name, flushed to disk, then renamed into place. */
export async function writeFileAtomic(path: string, data: Uint8Array | string, retry?: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw ioError('write', path, e, retry);
  }
}

/** A file's text, or undefined when it does not exist; any other failure as one line (`ioError`). */
export async function readTextIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw ioError('read', path, e);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
