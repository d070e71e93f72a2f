/**
 * The local Slurm harness against a real cluster: the sweep runner relies on job arrays setting
 * SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, running in the submit directory with the submitter's
 * PATH (to find `node`), and on `sbatch --wait` reporting a failed task through its exit code.
 *
 * Starting Slurm needs root. Where it cannot start, every test here fails with the script's reason,
 * unless OVERPARAM_NO_SLURM=1 declares a machine without Slurm: then a test only checks that the
 * reason is the missing root, so any other breakage still fails.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANG_CEILING_MS } from '../../test/helpers/hang-ceiling';
import { sbatchWait, startLocalSlurm, TIMEOUT_EXIT_CODE, type StartLocalSlurmResult } from './local-slurm';

// Waits are bounded by the hang ceiling only: another test run on this machine may hold the node's
// CPUs with its own jobs, and these then queue behind them (an array of four `true`-sized tasks
// takes about 4 s on an idle node); starting includes apt-get install of slurm-wlm and munge on a
// bare machine.

let started: StartLocalSlurmResult = { ok: false, reason: 'startLocalSlurm() was not called' };
let workDir = '';

beforeAll(async () => {
  started = await startLocalSlurm({ timeoutMs: HANG_CEILING_MS });
  workDir = realpathSync(mkdtempSync(join(tmpdir(), 'overparam-slurm-')));
});

afterAll(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

/** True when the cluster runs; false (after checking why) on a machine declared to have no Slurm. */
function clusterRuns(): boolean {
  if (started.ok) return true;
  if (process.env.OVERPARAM_NO_SLURM === '1') {
    console.warn(`[overparam] OVERPARAM_NO_SLURM=1 and Slurm cannot start: ${started.reason}`);
    expect(started.reason).toMatch(/not root/);
    return false;
  }
  const hint = /not root/.test(started.reason) ? ' (on a machine that cannot run Slurm, set OVERPARAM_NO_SLURM=1)' : '';
  throw new Error(`cannot start the local Slurm cluster: ${started.reason}${hint}`);
}

function writeJobScript(name: string, body: string): string {
  const path = join(workDir, name);
  writeFileSync(path, `#!/bin/bash\nset -eu\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('local Slurm cluster (tools/slurm)', () => {
  it('runs every task of a 4-task array once, with its index, the count, the submit directory and node on PATH', async () => {
    if (!clusterRuns()) return;
    const dir = join(workDir, 'array');
    mkdirSync(dir);
    const script = writeJobScript(
      'array.sh',
      'printf "%s %s %s %s\\n" "$SLURM_ARRAY_TASK_ID" "${SLURM_ARRAY_TASK_COUNT:-unset}" "$(pwd -P)" "$(command -v node || echo none)" > "task-$SLURM_ARRAY_TASK_ID.txt"',
    );
    const result = await sbatchWait(script, { array: '0-3', cwd: dir, timeoutMs: HANG_CEILING_MS });
    expect(result, result.stderr).toMatchObject({ code: 0 });

    const taskFiles = readdirSync(dir).filter((name) => name.startsWith('task-')).sort();
    expect(taskFiles).toEqual(['task-0.txt', 'task-1.txt', 'task-2.txt', 'task-3.txt']);
    const thisNode = realpathSync(process.execPath);
    for (let task = 0; task < 4; task++) {
      const [id, count, cwd, node] = readFileSync(join(dir, `task-${task}.txt`), 'utf8').trim().split(' ');
      expect({ id, count, cwd }).toEqual({ id: String(task), count: '4', cwd: dir });
      expect(node, 'the job inherits the submitter PATH, so it finds the node running this test').not.toBe('none');
      expect(realpathSync(node!)).toBe(thisNode);
    }
  });

  it('reports a failing task through the exit code of sbatch --wait', async () => {
    if (!clusterRuns()) return;
    const script = writeJobScript('fail-one.sh', '[ "$SLURM_ARRAY_TASK_ID" = 1 ] && exit 3\nexit 0');
    const result = await sbatchWait(script, { array: '0-1', cwd: workDir, timeoutMs: HANG_CEILING_MS });
    expect(result.code, result.stderr).toBe(3);
  });

  it('cancels the job and returns when the time limit passes, instead of hanging', async () => {
    if (!clusterRuns()) return;
    const script = writeJobScript('sleep.sh', 'sleep 300');
    const result = await sbatchWait(script, { cwd: workDir, timeoutMs: 3_000 });
    expect(result.code).toBe(TIMEOUT_EXIT_CODE);
    // sbatch prints the id once the controller took the job; on a loaded machine that may come after
    // the 3 s, and then the job is cancelled by the name sbatchWait gave it.
    const jobId = /Submitted batch job (\d+)/.exec(result.stdout)?.[1];
    const name = /any job named (\S+)/.exec(result.stderr)?.[1];
    expect(jobId !== undefined ? result.stderr : name, result.stderr).toContain(jobId !== undefined ? `cancelled job ${jobId}` : 'overparam-test-');
    // squeue lists pending and running jobs only; the cancelled one must not be among them.
    const queued = execFileSync('squeue', ['-h', '-t', 'PENDING,RUNNING', '-o', '%i %j'], { encoding: 'utf8' });
    const rows = queued.split('\n').map((line) => line.split(' '));
    expect(rows.filter(([id, jobName]) => id === jobId || (name !== undefined && jobName === name))).toEqual([]);
  });
});
