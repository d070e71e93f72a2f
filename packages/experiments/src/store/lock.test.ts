import { OverparamError } from '@overparam/core';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDirectory, readLockHolder, type LockHolder } from './lock';

const root = await mkdtemp(join(tmpdir(), 'overparam-lock-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** The pid of a process that has exited: a child run to its end (pids are not reused at once). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

async function plantLock(dir: string, holder: LockHolder): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await lockDirectory(dir).then((l) => l.release());
  await writeFile(join(dir, LOCK_FILE), `${JSON.stringify(holder)}\n`);
}

describe('lockDirectory', () => {
  it('creates the directory, names this process in lock.json, refuses a second writer and releases', async () => {
    const dir = join(root, 'a', 'b');
    const lock = await lockDirectory(dir);
    const holder = await readLockHolder(dir);
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(holder!.since)).not.toBeNaN();

    // The same process again is a second writer too.
    const second = lockDirectory(dir);
    await expect(second).rejects.toBeInstanceOf(OverparamError);
    await expect(second).rejects.toMatchObject({ code: 'RUN_LOCKED', message: expect.stringContaining(`${dir} is being written by pid ${process.pid} on this host since ${holder!.since}`) });
    await expect(second).rejects.toThrow(`kill -INT ${process.pid}`);
    await expect(second).rejects.not.toThrow('\n');

    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    await lock.release();
    // Free again; no temporary files left behind.
    await (await lockDirectory(dir)).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over the lock of a dead process on this host, with a notice naming it', async () => {
    const dir = join(root, 'stale');
    const pid = deadPid();
    await plantLock(dir, { pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', command: 'overparam train' });
    const notices: string[] = [];
    const lock = await lockDirectory(dir, { onTakeover: (m) => notices.push(m) });
    expect(notices).toEqual([`took over the lock of ${dir} from pid ${pid} (since 2026-01-01T00:00:00.000Z), which is no longer running`]);
    expect((await readLockHolder(dir))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('never takes over a lock from another host, and says how to clear it', async () => {
    const dir = join(root, 'foreign');
    // A pid that is dead here: only the host can keep the lock alive.
    await plantLock(dir, { pid: deadPid(), host: `not-${hostname()}`, since: '2026-01-01T00:00:00.000Z', command: 'overparam sweep s.json' });
    const refused = lockDirectory(dir);
    await expect(refused).rejects.toMatchObject({ code: 'RUN_LOCKED', message: expect.stringContaining(`on host not-${hostname()} since 2026-01-01T00:00:00.000Z (overparam sweep s.json)`) });
    await expect(refused).rejects.toThrow(`delete ${join(dir, LOCK_FILE)}`);
    expect((await readLockHolder(dir))?.host).toBe(`not-${hostname()}`);
  });

  it('refuses a lock file it did not write, naming it', async () => {
    const dir = join(root, 'garbage');
    await lockDirectory(dir).then((l) => l.release());
    await writeFile(join(dir, LOCK_FILE), 'not json');
    await expect(lockDirectory(dir)).rejects.toThrow(`${join(dir, LOCK_FILE)} is not a lock file overparam wrote`);
  });

  it('release leaves a lock that is no longer its own', async () => {
    const dir = join(root, 'replaced');
    const lock = await lockDirectory(dir);
    const other = { pid: process.pid, host: hostname(), since: '2000-01-01T00:00:00.000Z', command: 'someone else' };
    await writeFile(join(dir, LOCK_FILE), JSON.stringify(other));
    await lock.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toEqual(other);
  });

  it('is released when its process exits without releasing it', async () => {
    const dir = join(root, 'exit');
    const script = `import('${join(import.meta.dirname, 'lock.ts').replace(/\\/g, '/')}').then(async (m) => { await m.lockDirectory(${JSON.stringify(dir)}); process.exit(0); })`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@overparam/source', '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(existsSync(dir)).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
