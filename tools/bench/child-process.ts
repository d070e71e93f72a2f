/**
 * Measurements that run in a process of their own (a PyTorch script, a row or a solo line whose
 * backend must load with other settings than this process's): run one, collect its output, and
 * read the JSON lines it printed.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tsx from the repository's node_modules, to run a bench script with our source condition. */
export const TSX = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.bin', 'tsx');

/** Runs `command` to its end (killed after `timeoutMs`): exit code, whole stdout, last 4,000 characters of stderr. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The JSON objects a child printed, one per line; other lines are ignored. */
export function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The last lines of a child's stderr, joined into one, for an error message. */
export function stderrTail(stderr: string): string {
  return stderr.trim().split('\n').slice(-3).join(' | ');
}
