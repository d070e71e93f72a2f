import { OverparamError } from '@overparam/core';
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { ioError, makeDirectory, readTextIfPresent } from './files';

/**
 * One writer per directory. A run directory, a sweep directory or a report folder that a process
 * writes holds `lock.json` naming that process — pid, host, when it started, its command line —
 * for as long as it writes. A second writer is refused at once with `RUN_LOCKED`, naming the
 * holder and what to do.
 *
 * The lock file is written whole to a private name and hard-linked into place: `link` fails when
 * the target exists, on local disks and NFS alike, so exactly one process gets it and the file is
 * never seen half-written. A lock whose holder is a dead process on this host (killed, crashed) is
 * taken over with a one-line notice. A lock from another host is never taken over: this host
 * cannot tell whether that process still runs; the message says how to remove it by hand.
 */
export const LOCK_FILE = 'lock.json';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the lock was taken (ISO time). */
  readonly since: string;
  readonly command: string;
}

export interface DirectoryLock {
  readonly path: string;
  /** Removes the lock file if it is still this lock's; safe to call more than once. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** Told when a dead local process's lock was taken over (default: one line on stderr). */
  readonly onTakeover?: (message: string) => void;
}

/** Locks this process holds, released synchronously if it exits without releasing them. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
  for (const [path, text] of held) {
    try {
      if (readFileSync(path, 'utf8') === text) unlinkSync(path);
    } catch {
      // Gone already, or unreadable: nothing of ours to remove.
    }
  }
}

function commandLine(): string {
  const [, entry, ...args] = process.argv;
  return [entry === undefined ? 'node' : basename(entry), ...args].join(' ');
}

/** Whether process `pid` exists here. EPERM: it exists, under another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock that no one holds any more: its process is gone, and it was on this host, so we can tell. */
export function isStale(holder: LockHolder): boolean {
  return holder.host === hostname() && !processAlive(holder.pid);
}

function parseHolder(text: string, path: string): LockHolder {
  try {
    const h = JSON.parse(text) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string') return { ...h, command: String(h.command ?? '') };
  } catch {
    // Reported below.
  }
  throw new OverparamError('RUN_LOCKED', `${path} is not a lock file overparam wrote; if no process writes ${join(path, '..')}, delete it and run again`);
}

/** The holder named in `path`, or undefined when there is no lock file. */
async function readHolderAt(path: string): Promise<LockHolder | undefined> {
  const text = await readTextIfPresent(path);
  return text === undefined ? undefined : parseHolder(text, path);
}

/** Who holds the lock of `dir`, if anyone (a stale lock included). */
export function readLockHolder(dir: string): Promise<LockHolder | undefined> {
  return readHolderAt(join(dir, LOCK_FILE));
}

const sameHolder = (a: LockHolder, b: LockHolder) => a.pid === b.pid && a.host === b.host && a.since === b.since;

function lockedError(dir: string, path: string, h: LockHolder): OverparamError {
  const who = `pid ${h.pid} on ${h.host === hostname() ? 'this host' : `host ${h.host}`} since ${h.since}${h.command ? ` (${h.command})` : ''}`;
  const fix =
    h.host === hostname()
      ? `wait for it to end or stop it (kill -INT ${h.pid}), then run again`
      : `if that process is gone (a node that crashed), delete ${path}, then run again`;
  return new OverparamError('RUN_LOCKED', `${dir} is being written by ${who}; ${fix}`);
}

/**
 * Moves a stale lock out of the way. Between reading it and moving it, another process may have
 * taken it over and locked the directory itself; then the moved file is that live lock, and it
 * is put back. (Three processes meeting on one stale lock within that instant could still both
 * win; two cannot.)
 */
async function takeOver(path: string, stale: LockHolder): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw ioError('move the stale lock', path, e);
  }
  const moved = await readHolderAt(aside).catch(() => undefined);
  if (moved !== undefined && !sameHolder(moved, stale)) {
    await link(aside, path).catch(() => {});
    await unlink(aside).catch(() => {});
    return false;
  }
  await unlink(aside).catch(() => {});
  return true;
}

/** Creates `path` holding `text` if it does not exist: a hard link where the file system has them. */
async function createExclusive(path: string, text: string, tmp: string): Promise<boolean> {
  try {
    await link(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw ioError('create the lock', path, e);
  }
  // No hard links here (some FUSE and SMB mounts): an exclusive create, written at once.
  try {
    await writeFile(path, text, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw ioError('create the lock', path, e);
  }
}

/**
 * Locks `dir` (created if missing) for this process, or throws RUN_LOCKED naming the live holder.
 * A lock left by a dead process of this host is taken over, with a notice.
 */
export async function lockDirectory(dir: string, options: LockOptions = {}): Promise<DirectoryLock> {
  await makeDirectory(dir);
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command: commandLine() };
  const text = `${JSON.stringify(me)}\n`;
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, text);
  } catch (e) {
    throw ioError('write', tmp, e);
  }
  try {
    // Each pass either takes the lock, refuses, or clears a lock that vanished or went stale.
    for (let pass = 0; pass < 5; pass++) {
      if (await createExclusive(path, text, tmp)) {
        held.set(path, text);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          process.on('exit', releaseAllOnExit);
        }
        return { path, release: () => releaseLock(path, text) };
      }
      const holder = await readHolderAt(path);
      if (holder === undefined) continue;
      if (!isStale(holder)) throw lockedError(dir, path, holder);
      if (await takeOver(path, holder)) {
        const notice = `took over the lock of ${dir} from pid ${holder.pid} (since ${holder.since}), which is no longer running`;
        (options.onTakeover ?? ((m: string) => process.stderr.write(`overparam: ${m}\n`)))(notice);
      }
    }
    const holder = await readHolderAt(path);
    throw holder !== undefined ? lockedError(dir, path, holder) : new OverparamError('RUN_LOCKED', `${dir}: could not take its lock (${path} kept changing); run again`);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function releaseLock(path: string, text: string): Promise<void> {
  if (held.get(path) !== text) return;
  held.delete(path);
  try {
    // Only our own lock: one taken over meanwhile (we were presumed dead) is not ours to remove.
    if ((await readFile(path, 'utf8')) === text) await unlink(path);
  } catch {
    // Already gone.
  }
}
