/**
 * How a process learns that it is one of several sharing the machine's cores (the worker
 * processes of a sweep's `--jobs N`): the sweep starts each with this variable set to N, and a
 * backend that sizes thread pools when it loads (node) gives each its share.
 */
export const PROCESSES_ENV = 'OVERPARAM_PROCESSES';

/** How many processes share this machine's cores, as `PROCESSES_ENV` says; 1 where unset or not a positive integer. */
export function sharedProcesses(env: Readonly<Record<string, string | undefined>>): number {
  const value = env[PROCESSES_ENV];
  return value !== undefined && /^[1-9]\d*$/.test(value.trim()) ? Number(value) : 1;
}
