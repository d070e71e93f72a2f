import { run } from '@overparam/experiments';
import { runDirectory } from '@overparam/experiments/node';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordsWithoutTimes, startCli, summaryWithoutTimes, waitFor } from './helpers/cli-process';
import { testBackend } from './setup-backend';
import { HANG_CEILING_MS } from './helpers/hang-ceiling';

const root = await mkdtemp(join(tmpdir(), 'overparam-one-writer-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// Ceilings only catch hangs: each wait ends on an event (a line printed, a file written). A test
// starts two or three processes, each loading TensorFlow.js (minutes on a loaded 2-core machine),
// so a whole test may take up to three waits.
const TEST_CEILING = 3 * HANG_CEILING_MS;

/** `startCli` plus what the process has printed to stderr so far, to wait on. */
function started(args: readonly string[]) {
  const process = startCli(args);
  let stderr = '';
  process.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { ...process, pid: process.child.pid!, stderr: () => stderr };
}

/**
 * The holder is paused (SIGSTOP) while a second writer tries, so the holder is provably still
 * at work then however fast the machine is; SIGCONT lets it finish. Resumed even if the test fails.
 */
async function whilePaused<T>(pid: number, during: () => Promise<T>): Promise<T> {
  process.kill(pid, 'SIGSTOP');
  try {
    return await during();
  } finally {
    process.kill(pid, 'SIGCONT');
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The one line a refused second writer prints: the directory, the holder's pid and command, and what to do. */
function refusal(dir: string, pid: number, command: string): RegExp {
  return new RegExp(`^overparam: ${escape(dir)} is being written by pid ${pid} on this host since \\S+ \\(main\\.ts ${escape(command)}\\); wait for it to end or stop it \\(kill -INT ${pid}\\), then run again\\n$`);
}

describe(`one writer per directory, as real processes (${testBackend})`, { timeout: TEST_CEILING }, () => {
  it('of two `train --resume R`, the second is refused naming the first, which completes with all its records', async () => {
    const config = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 200, batchSize: 16, logEvery: 5, checkpointEverySteps: 10, backend: testBackend };
    const reference = join(root, 'reference');
    await run(config, runDirectory(reference));
    // A partly trained run, stopped after step 50 with a checkpoint, as Ctrl-C leaves one.
    const dir = join(root, 'resumed');
    const controller = new AbortController();
    const stopped = await run(config, { ...runDirectory(dir), signal: controller.signal, onProgress: (p) => p.step >= 50 && controller.abort() });
    expect(stopped.summary.outcome).toBe('aborted');

    const first = started(['train', '--resume', dir]);
    try {
      await waitFor(async () => /resuming MLP-1-16 from step/.test(first.stderr()), HANG_CEILING_MS, 'the first resume to start training');
      const second = await whilePaused(first.pid, () => startCli(['train', '--resume', dir]).done);
      expect(second.stderr).toMatch(refusal(dir, first.pid, `train --resume ${dir}`));
      expect(second.code).toBe(2);
      const ended = await first.done;
      expect(ended.code, ended.stderr).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
    }
    expect(await recordsWithoutTimes(dir)).toBe(await recordsWithoutTimes(reference));
    expect(await summaryWithoutTimes(dir)).toEqual(await summaryWithoutTimes(reference));
    expect(existsSync(join(dir, 'lock.json'))).toBe(false);
  });

  it('of two `sweep` processes on one --out, the second is refused naming the first, which runs every cell', async () => {
    const sweep = { name: 'pair', base: { arch: 'mlp', archOptions: { depth: 1, width: 8 }, data: 'synthetic', steps: 60, logEvery: 10, backend: testBackend }, grid: { lr: [0.1, 0.01] }, seeds: [0] };
    const file = join(root, 'pair.json');
    await writeFile(file, JSON.stringify(sweep));
    const out = join(root, 'pair');
    const first = started(['sweep', file, '--out', out]);
    try {
      // sweep.json is written once the sweep has its directory.
      await waitFor(async () => existsSync(join(out, 'sweep.json')), HANG_CEILING_MS, 'the first sweep to claim its directory');
      const second = await whilePaused(first.pid, () => startCli(['sweep', file, '--out', out]).done);
      expect(second.stderr).toMatch(refusal(out, first.pid, `sweep ${file} --out ${out}`));
      expect(second.code).toBe(2);
      const ended = await first.done;
      expect(ended.code, ended.stderr).toBe(0);
      expect(JSON.parse(ended.stdout)).toMatchObject({ cells: 2, ran: 2, outcomes: { completed: 2 } });
    } finally {
      first.child.kill('SIGKILL');
    }
    expect(existsSync(join(out, 'lock.json'))).toBe(false);
    expect(JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'))).toMatchObject({ name: 'pair' });
  });

  it('Ctrl-C releases the lock with the checkpoint: nothing stale is left for the next writer', async () => {
    const dir = join(root, 'interrupted');
    // Far more steps than the test waits for: the signal lands mid-run on any machine.
    const first = started(['train', '--arch', 'mlp', '--depth', '1', '--width', '8', '--data', 'synthetic', '--steps', '1000000', '--backend', testBackend, '--out', dir]);
    try {
      await waitFor(async () => /training MLP-1-8/.test(first.stderr()), HANG_CEILING_MS, 'the run to start training');
      expect(existsSync(join(dir, 'lock.json'))).toBe(true);
      first.child.kill('SIGINT');
      expect((await first.done).code).toBe(130);
    } finally {
      first.child.kill('SIGKILL');
    }
    expect(existsSync(join(dir, 'lock.json'))).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ outcome: 'aborted' });
  });
});
