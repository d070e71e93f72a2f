import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';


/** The repository root, where `tsx` and the sources are. */
export const repoRoot = join(import.meta.dirname, '..', '..');
const cliSource = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

/**
 * The `overparam` command as a real process, from the sources (tsx with our source export
 * condition), so that signals, exit codes and kills are the real thing and no build is needed.
 */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@overparam/source', cliSource, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Complete lines of a file now (0 when it does not exist yet). */
export async function completeLines(path: string): Promise<number> {
  try {
    return (await readFile(path, 'utf8')).split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Polls until `predicate` holds or `timeoutMs` passes; never hangs a test. */
export async function waitFor(predicate: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A run's metrics.jsonl with every `seconds` value blanked: what must match byte for byte. */
export async function recordsWithoutTimes(dir: string): Promise<string> {
  return (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).replace(/"seconds":[-0-9.e+]+/g, '"seconds":_');
}

/** summary.json without its timings; the records' checksum covers their `seconds`, so only their count is kept. */
export async function summaryWithoutTimes(dir: string): Promise<Record<string, unknown>> {
  const { seconds: _s, trainSeconds: _t, records, ...rest } = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  return { ...rest, recordCount: (records as { count?: number } | undefined)?.count };
}
