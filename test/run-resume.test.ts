import { runCli } from '@overparam/cli';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeLines, recordsWithoutTimes, startCli, summaryWithoutTimes, waitFor } from './helpers/cli-process';
import { testBackend } from './setup-backend';
import { HANG_CEILING_MS } from './helpers/hang-ceiling';

const root = await mkdtemp(join(tmpdir(), 'overparam-resume-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// Long enough that a kill lands mid-run on every backend, short enough for CI: momentum, a
// hook with memory (W(0)) and logging windows that checkpoints cut through.
const flags = [
  ...['--arch', 'mlp', '--depth', '2', '--width', '32', '--data', 'synthetic', '--steps', '600', '--batch-size', '16'],
  ...['--momentum', '0.9', '--log-every', '3', '--checkpoint-every-steps', '20', '--metric', 'weight-movement:every=50'],
  ...['--backend', testBackend],
];

async function quiet(argv: string[]): Promise<number> {
  return runCli(argv, { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } });
}

describe(`a run killed and resumed, as real processes (${testBackend})`, { timeout: HANG_CEILING_MS }, () => {
  const reference = join(root, 'reference');

  it('an uninterrupted reference run', async () => {
    expect(await quiet(['train', ...flags, '--out', reference])).toBe(0);
  });

  it('SIGKILL at three random steps, each time resumed: metrics.jsonl and summary are byte-identical, timings aside', async () => {
    const killed = join(root, 'killed');
    const metrics = join(killed, 'metrics.jsonl');
    const total = await completeLines(join(reference, 'metrics.jsonl'));
    // Random kill points (drawn once per test run, printed so a failure can be replayed).
    const points = Array.from({ length: 3 }, (_, i) => Math.floor(((i + Math.random()) / 3) * total * 0.8) + 5).sort((a, b) => a - b);
    console.info(`[overparam] killing at records ${points.join(', ')} of ${total}`);
    let kills = 0;
    for (const [i, point] of points.entries()) {
      const { child, done } = startCli(i === 0 ? ['train', ...flags, '--out', killed] : ['train', '--resume', killed]);
      await waitFor(async () => (await completeLines(metrics)) >= point || child.exitCode !== null, HANG_CEILING_MS, `record ${point}`);
      child.kill('SIGKILL');
      const ended = await done;
      if (ended.signal === 'SIGKILL') kills++;
    }
    // At least one kill must have landed mid-run, or the test would show nothing.
    expect(kills).toBeGreaterThan(0);
    const last = await startCli(['train', '--resume', killed]).done;
    expect(last.stderr).not.toMatch(/unexpected error/);
    expect(last.code).toBe(0);
    expect(await recordsWithoutTimes(killed)).toBe(await recordsWithoutTimes(reference));
    expect(await summaryWithoutTimes(killed)).toEqual(await summaryWithoutTimes(reference));
  });

  it('SIGINT stops after the current step, says so at once, checkpoints, writes `aborted` and exits 130; --resume completes it', async () => {
    const stopped = join(root, 'stopped');
    const { child, done } = startCli(['train', ...flags, '--out', stopped]);
    await waitFor(async () => (await completeLines(join(stopped, 'metrics.jsonl'))) >= 20, HANG_CEILING_MS, 'the 20th record');
    child.kill('SIGINT');
    const ended = await done;
    expect(ended.stderr).toContain('SIGINT received: stopping the run after the current step');
    expect(ended.code).toBe(130);
    expect(JSON.parse(ended.stdout)).toMatchObject({ outcome: 'aborted' });
    const resumed = await startCli(['train', '--resume', stopped]).done;
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming MLP-2-32 from step \d+/);
    expect(await recordsWithoutTimes(stopped)).toBe(await recordsWithoutTimes(reference));
  });
});

describe('the command line as a process', { timeout: HANG_CEILING_MS }, () => {
  it('a reader that closes the pipe early (`overparam train --help | true`) gets no stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const { repoRoot } = await import('./helpers/cli-process');
    const main = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');
    // `true` exits without reading, so every write after it is gone fails with EPIPE.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" --import tsx --conditions=@overparam/source "${main}" train --help | true; echo "status \${PIPESTATUS[0]}" >&2`], { cwd: repoRoot, encoding: 'utf8', timeout: HANG_CEILING_MS });
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stderr).toMatch(/status 0/);
  });
});
