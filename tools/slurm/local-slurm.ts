/**
 * A real single-node Slurm cluster for tests (issue 8: sweeps sharded over a job array).
 * `startLocalSlurm()` runs start-local-slurm.sh beside this file; `sbatchWait()` submits a batch
 * script with `sbatch --wait` and returns its exit code and output. Neither can hang: each child runs
 * in its own process group, which is killed when its time is up.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

export type StartLocalSlurmResult = { ok: true } | { ok: false; reason: string };

export interface StartLocalSlurmOptions {
  /** Installing slurm-wlm and munge with apt-get takes about a minute; a warm start takes about 2 s. */
  timeoutMs?: number;
  /** Overwrite an /etc/slurm/slurm.conf the script did not write. */
  force?: boolean;
}

export interface SbatchWaitOptions {
  /** `--array` value, e.g. `0-3`. */
  array?: string;
  /** Submit directory and the job's working directory (`--chdir`). */
  cwd: string;
  /** Hard limit; when it passes the job is cancelled and `code` is {@link TIMEOUT_EXIT_CODE}. */
  timeoutMs: number;
  /** More sbatch options, placed before the script (e.g. `--output=...`). */
  sbatchArgs?: readonly string[];
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit code reported for a command that ran out of time (GNU timeout's convention). */
export const TIMEOUT_EXIT_CODE = 124;
const DEFAULT_START_TIMEOUT_MS = 300_000;
/** How long a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;
/** How long the output pipes may stay open after the command exited. */
const PIPE_DRAIN_MS = 1_000;

const scriptPath = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export async function startLocalSlurm(options: StartLocalSlurmOptions = {}): Promise<StartLocalSlurmResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const args = [scriptPath('./start-local-slurm.sh'), ...(options.force ? ['--force'] : [])];
  const result = await runBounded('bash', args, { timeoutMs });
  if (result.code === 0) return { ok: true };
  if (result.timedOut) return { ok: false, reason: `start-local-slurm.sh did not finish within ${timeoutMs / 1000} s` };
  const lastLine = lastNonEmptyLine(result.stderr);
  return { ok: false, reason: lastLine ?? `start-local-slurm.sh exited with code ${result.code} and said nothing on stderr` };
}

/** Names each submission, so that one killed before sbatch printed its job id can still be cancelled. */
let submissions = 0;

export async function sbatchWait(scriptPath: string, options: SbatchWaitOptions): Promise<CommandResult> {
  const name = `overparam-test-${process.pid}-${++submissions}`;
  const args = [
    '--wait',
    `--chdir=${options.cwd}`,
    `--job-name=${name}`,
    ...(options.array === undefined ? [] : [`--array=${options.array}`]),
    ...(options.sbatchArgs ?? []),
    scriptPath,
  ];
  const result = await runBounded('sbatch', args, { cwd: options.cwd, timeoutMs: options.timeoutMs });
  if (!result.timedOut) return { code: result.code, stdout: result.stdout, stderr: result.stderr };
  // Killing `sbatch --wait` leaves the job queued or running; cancel it so it does not hold the node.
  // On a loaded machine sbatch may be killed before it printed the job id: then the name finds it.
  const jobId = /Submitted batch job (\d+)/.exec(result.stdout)?.[1];
  await runBounded('scancel', jobId !== undefined ? [jobId] : [`--name=${name}`], { timeoutMs: 10_000 });
  const note = `sbatch --wait did not finish within ${options.timeoutMs / 1000} s; cancelled ${jobId !== undefined ? `job ${jobId}` : `any job named ${name}`}`;
  return { code: TIMEOUT_EXIT_CODE, stdout: result.stdout, stderr: `${result.stderr}${note}\n` };
}

interface BoundedResult extends CommandResult {
  timedOut: boolean;
}

/** Runs a command in its own process group; on timeout the whole group gets SIGTERM, then SIGKILL. */
function runBounded(command: string, args: readonly string[], options: { cwd?: string; timeoutMs: number }): Promise<BoundedResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ code, stdout, stderr, timedOut });
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL');
        // A grandchild that escaped the group may still hold the pipes open; do not wait for it.
        finish(TIMEOUT_EXIT_CODE);
      }, KILL_GRACE_MS);
    }, options.timeoutMs);

    child.on('error', (error) => {
      stderr += `${command}: ${error.message}\n`;
      finish(127);
    });
    const exitCode = (code: number | null, signal: NodeJS.Signals | null) =>
      timedOut ? TIMEOUT_EXIT_CODE : (code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    // 'close' waits for the pipes to drain, so the output is complete. A daemon the command started
    // could keep a pipe open forever, so after 'exit' the pipes get a moment, not more.
    child.on('close', (code, signal) => finish(exitCode(code, signal)));
    child.on('exit', (code, signal) => {
      setTimeout(() => finish(exitCode(code, signal)), PIPE_DRAIN_MS);
    });
  });
}

function lastNonEmptyLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .at(-1);
}
