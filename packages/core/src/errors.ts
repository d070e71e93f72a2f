/**
 * Every error overparam throws on purpose is an OverparamError with a stable `code`, so programs
 * can branch on it and the CLI can print one line without a stack trace. Messages say what went
 * wrong and what to do about it.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'BACKEND_UNKNOWN'
  | 'BACKEND_UNAVAILABLE'
  | 'BACKEND_SETUP'
  | 'NO_BACKEND'
  /** The backend is loaded in this process with settings other than the work asks for (a sweep worker starts afresh). */
  | 'BACKEND_SETTINGS'
  | 'ARCH_UNKNOWN'
  | 'INIT_UNKNOWN'
  | 'ACTIVATION_UNKNOWN'
  | 'LOSS_UNKNOWN'
  | 'OPTIMIZER_UNKNOWN'
  | 'DATA_UNKNOWN'
  | 'DATA_UNAVAILABLE'
  | 'DATA_CORRUPT'
  | 'SHAPE_MISMATCH'
  | 'METRIC_UNSUPPORTED'
  | 'RUN_IO'
  | 'RUN_EXISTS'
  | 'RUN_ABSENT'
  | 'RUN_MISMATCH'
  /** Another process is writing the run or sweep directory (its lock file names it). */
  | 'RUN_LOCKED'
  /** A run's files disagree with each other (records changed after its summary was written). */
  | 'RUN_CORRUPT'
  | 'CHECKPOINT_CORRUPT'
  | 'SWEEP_INVALID'
  | 'PRESET_UNKNOWN'
  | 'MODEL_IMPORT'
  /** An imported model cannot be written back as Layers model files (an unwritable folder). */
  | 'MODEL_EXPORT';

export class OverparamError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A configuration value is wrong. `field` names it the way the user wrote it (a dotted config
 * path such as `archOptions.depth`), `problem` says what is wrong with it and `fix`, when there is
 * one, what to write instead. The message is the one line `field: problem; fix`; code that reports
 * the error elsewhere (under a flag, under a longer path) reads the parts, never the message.
 */
export class ConfigError extends OverparamError {
  readonly field: string;
  readonly problem: string;
  readonly fix: string | undefined;
  constructor(field: string, problem: string, fix?: string) {
    super('CONFIG_INVALID', `${field}: ${problem}${fix === undefined ? '' : `; ${fix}`}`);
    this.field = field;
    this.problem = problem;
    this.fix = fix;
  }

  /** What is wrong and how to fix it, without the field: the message as it reads under another name. */
  get detail(): string {
    return this.fix === undefined ? this.problem : `${this.problem}; ${this.fix}`;
  }

  /** The same error about the same value, named by another path (a field inside `metrics.0`, `archOptions`). */
  renamed(field: string): ConfigError {
    return new ConfigError(field, this.problem, this.fix);
  }
}

/** A name that is looked up in a registry (architecture, init, loss, ...) is not there. */
export class UnknownNameError extends OverparamError {
  readonly kind: string;
  readonly requested: string;
  readonly allowed: readonly string[];
  constructor(code: ErrorCode, kind: string, requested: string, allowed: readonly string[]) {
    super(code, `unknown ${kind} '${requested}'; expected one of: ${allowed.join(', ')}`);
    this.kind = kind;
    this.requested = requested;
    this.allowed = allowed;
  }
}

export class BackendUnavailableError extends OverparamError {
  readonly backend: string;
  constructor(backend: string, reason: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', `backend '${backend}' is not available: ${reason}`, options);
    this.backend = backend;
  }
}

export class ShapeError extends OverparamError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

export function isOverparamError(e: unknown): e is OverparamError {
  return e instanceof OverparamError;
}
