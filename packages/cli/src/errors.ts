import { BackendUnavailableError, ConfigError, isOverparamError, type ErrorCode } from '@overparam/core';

/**
 * A bad flag value, caught by the CLI itself; reported as `overparam: --flag: message`, exit 2.
 * Without a flag (a missing or unreadable argument) it is `overparam: message`.
 */
export class UsageError extends Error {
  constructor(
    readonly flag: string | undefined,
    readonly detail: string,
  ) {
    super(flag === undefined ? detail : `${flag}: ${detail}`);
    this.name = 'UsageError';
  }
}

/** Exit codes: 2 is the conventional "you called me wrong" (as in sh, grep, argparse). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** A run that ended `diverged`: it ran as asked, but its result is not a trained model. */
export const EXIT_DIVERGED = 3;
/** 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
/** 128 + SIGTERM, for a run stopped by `kill` or a scheduler. */
export const EXIT_TERMINATED = 143;

/** Errors about the run directory, by the field (or flag) that chose it. In the CLI, RUN_MISMATCH comes only from a --resume whose config.json was edited. */
const RUN_DIRECTORY_ERRORS: Partial<Record<string, string>> = { RUN_EXISTS: 'outDir', RUN_MISMATCH: '--resume', RUN_ABSENT: '--resume' };

/**
 * Errors that mean "you asked for something that cannot be" rather than "it failed while running":
 * an unknown name, an invalid sweep file or shard, a preset that does not exist. Exit 2, like flags.
 */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BACKEND_UNKNOWN', 'ARCH_UNKNOWN', 'INIT_UNKNOWN', 'ACTIVATION_UNKNOWN', 'LOSS_UNKNOWN', 'OPTIMIZER_UNKNOWN', 'DATA_UNKNOWN', 'SWEEP_INVALID', 'PRESET_UNKNOWN',
]);

/** What V8 and typed arrays say when an allocation is beyond them. */
const TOO_LARGE = /Invalid typed array length|Array buffer allocation failed|Invalid array length|Invalid string length/;

/** Maps a config field (`archOptions.depth`) to the flag that sets it (`--depth`), if any. */
export type FieldToFlag = (field: string) => string | undefined;

/** The one line (and exit code) an error becomes; a stack trace only when asked for. */
export function describeError(e: unknown, flagOf: FieldToFlag, verbose: boolean): { lines: string[]; code: number } {
  if (e instanceof UsageError) return { lines: [`overparam: ${e.message}`], code: EXIT_USAGE };
  if (e instanceof ConfigError) {
    const flag = flagOf(e.field);
    return { lines: [`overparam: ${flag ?? e.field}: ${e.detail}`], code: EXIT_USAGE };
  }
  // The user asked for a backend this machine cannot load: fixable by a flag or an install.
  if (e instanceof BackendUnavailableError) return { lines: [`overparam: --backend: ${e.message}`], code: EXIT_USAGE };
  // A run directory that holds another run, or none to resume: the directory flag was wrong.
  const directoryFlag = isOverparamError(e) ? RUN_DIRECTORY_ERRORS[e.code] : undefined;
  // Another process writes the directory: the message names it and the directory; choose another, or wait.
  if (isOverparamError(e) && e.code === 'RUN_LOCKED') return { lines: [`overparam: ${e.message}`], code: EXIT_USAGE };
  if (directoryFlag !== undefined) return { lines: [`overparam: ${flagOf(directoryFlag) ?? directoryFlag}: ${(e as Error).message}`], code: EXIT_USAGE };
  if (isOverparamError(e)) return { lines: [`overparam: ${e.message}`, ...(verbose && e.stack !== undefined ? [e.stack] : [])], code: USAGE_CODES.has(e.code) ? EXIT_USAGE : EXIT_FAILURE };
  // Sizes past what this process can hold (a 10⁹-wide layer, 10⁹ examples) fail in the allocator;
  // that is a request too large, not a bug: say which sizes to lower.
  if (e instanceof RangeError && TOO_LARGE.test(e.message)) {
    return { lines: [`overparam: too large to allocate (${e.message}); ask for a smaller network or data set (--width, --width-factor, --depth, the data set's size options)`], code: EXIT_USAGE };
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (verbose) return { lines: [`overparam: unexpected error: ${text}`, e instanceof Error && e.stack !== undefined ? e.stack : ''], code: EXIT_FAILURE };
  return { lines: [`overparam: unexpected error: ${text} (rerun with --verbose for the stack trace)`], code: EXIT_FAILURE };
}
