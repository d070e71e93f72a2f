import { isStale, mergeSweeps, readLockHolder, sweepStore } from '@overparam/experiments/node';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sbatchWait, startLocalSlurm } from '../tools/slurm/local-slurm';
import { completeLines, repoRoot, startCli, waitFor } from './helpers/cli-process';
import { testBackend } from './setup-backend';
import { HANG_CEILING_MS } from './helpers/hang-ceiling';

const root = await mkdtemp(join(tmpdir(), 'overparam-sweeps-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// The 2×2×2 sweep, long enough per cell that a kill lands mid-run.
const sweep = {
  name: 'depth',
  base: { arch: 'mlp', archOptions: { width: 16 }, data: 'synthetic', steps: 300, logEvery: 5, checkpointEverySteps: 10, backend: testBackend },
  grid: { 'archOptions.depth': [1, 2], lr: [0.1, 0.01] },
  seeds: [0, 1],
};
const sweepFile = join(root, 'depth.json');
await writeFile(sweepFile, JSON.stringify(sweep));

type Records = Map<string, string>;
/** Every run's records without timings, by cell id: what must agree between two ways of running a sweep. */
async function recordsOf(dir: string): Promise<Records> {
  const store = sweepStore(dir);
  const out: Records = new Map();
  for (const id of await store.list()) {
    expect(await store.status(id), id).toBe('completed');
    out.set(id, JSON.stringify((await store.readRecords(id)).map(({ seconds: _s, ...r }) => r)));
  }
  return out;
}

describe(`sweeps as real processes (${testBackend})`, { timeout: HANG_CEILING_MS }, () => {
  const reference = join(root, 'reference');

  it('runs the 2×2×2 sweep with --jobs 2', async () => {
    const r = await startCli(['sweep', sweepFile, '--out', reference, '--jobs', '2']).done;
    expect(r.stderr).not.toMatch(/unexpected error|failed [0-9a-f]{12}/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cells: 8, ran: 8, outcomes: { completed: 8 } });
    expect(r.stderr).toMatch(/sweep depth: 8\/8 done, 0 running, 0 failed, 0 diverged/);
    expect((await recordsOf(reference)).size).toBe(8);
  });

  it('survives a SIGKILL of the whole sweep: the rerun resumes the cells in flight and ends equal to the uninterrupted sweep', async () => {
    const killed = join(root, 'killed');
    const { child, done } = startCli(['sweep', sweepFile, '--out', killed, '--jobs', '2']);
    // Kill once some cell has ended and another is early in its run (it logs 60 records), so the
    // kill lands mid-run however fast the backend is.
    const runs = join(killed, 'runs');
    await (async () => {
      const deadline = Date.now() + HANG_CEILING_MS;
      for (;;) {
        const ids = existsSync(runs) ? await readdir(runs) : [];
        const ended = ids.filter((id) => existsSync(join(runs, id, 'summary.json'))).length;
        const inFlight = (await Promise.all(ids.map((id) => completeLines(join(runs, id, 'metrics.jsonl'))))).filter((n, i) => n > 3 && n < 30 && !existsSync(join(runs, ids[i]!, 'summary.json'))).length;
        if (ended >= 1 && inFlight >= 1) return;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error('the sweep ended before it could be killed mid-run');
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    // Its workers notice their parent is gone and stop too; each cell's lock names its worker, so wait until none lives.
    await waitFor(
      async () => (await Promise.all((await readdir(runs)).map((id) => readLockHolder(join(runs, id))))).every((h) => h === undefined || isStale(h)),
      HANG_CEILING_MS,
      'the orphaned workers to stop',
    );
    const store = sweepStore(killed);
    const statuses = await Promise.all((await store.list()).map((id) => store.status(id)));
    expect(statuses).toContain('running');

    const rerun = await startCli(['sweep', sweepFile, '--out', killed, '--jobs', '2']).done;
    expect(rerun.code).toBe(0);
    const report = JSON.parse(rerun.stdout) as { ran: number; outcomes: { completed: number } };
    expect(report.outcomes.completed).toBe(8);
    expect(report.ran).toBeLessThan(8);
    expect(await recordsOf(killed)).toEqual(await recordsOf(reference));
  });

  it('runs as a real Slurm job array, and the merged shards equal the sweep on one machine', async () => {
    const slurm = await startLocalSlurm();
    // CI runs as root with slurm-wlm installed (.ci/run); anywhere else this says why it cannot run.
    if (!slurm.ok) throw new Error(`cannot start a local Slurm cluster: ${slurm.reason}`);
    const out = join(root, 'slurm');
    const command = `${process.execPath} --import tsx --conditions=@overparam/source ${join(repoRoot, 'packages', 'cli', 'src', 'main.ts')}`;
    const emitted = await startCli(['sweep', sweepFile, '--out', out, '--emit', 'slurm', '--tasks', '4', '--command', command]).done;
    expect(emitted.code).toBe(0);
    expect(emitted.stdout).toContain('#SBATCH --array=0-3');
    const script = join(root, 'depth.sbatch');
    await writeFile(script, emitted.stdout);
    await rm(out, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(out, { recursive: true }));
    const job = await sbatchWait(script, { cwd: repoRoot, timeoutMs: HANG_CEILING_MS });
    expect(job.code, job.stderr).toBe(0);
    const shards = [0, 1, 2, 3].map((i) => join(out, `shard-${i}`));
    const merged = await mergeSweeps(join(out, 'merged'), shards);
    expect(merged).toMatchObject({ cells: 8, merged: 8, missing: [], duplicated: [] });
    expect(await recordsOf(join(out, 'merged'))).toEqual(await recordsOf(reference));
  });
});
