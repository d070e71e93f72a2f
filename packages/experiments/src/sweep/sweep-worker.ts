import type { ChildProcess } from 'node:child_process';
import type { RunStatus } from '../store/types';

/**
 * The messages between a sweep and its worker processes. A worker is started once per lane of
 * `--jobs N` and runs cells one after another, so TensorFlow.js loads once per worker, not once
 * per cell: `{ run: id }` asks for a cell (`{ run: [ids] }` for a replica group of cells), `{ ended: id, status }` or `{ ended: id, error }`
 * answers, `{ stop: true }` lets the worker exit.
 */
export type ToWorker = { readonly run: string | readonly string[] } | { readonly stop: true };
export type FromWorker = {
  readonly ended: string;
  readonly status?: RunStatus;
  readonly error?: string;
  /** The error's OverparamError code, when it has one (RUN_LOCKED: another process holds the cell). */
  readonly code?: string;
};

/** The reply of a worker whose cell threw `e`. */
export function errorReply(ended: string, e: unknown): FromWorker {
  const code = (e as { code?: unknown } | null)?.code;
  return { ended, error: e instanceof Error ? e.message : String(e), ...(typeof code === 'string' ? { code } : {}) };
}

/** A worker process as the sweep sees it: run a cell and wait for its end, or stop. */
export class SweepWorker {
  private exited = false;
  private exitReason = '';
  private waiting: ((message: FromWorker) => void) | undefined;
  private readonly gone: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.gone = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: FromWorker) => {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitReason = signal !== null ? `signal ${signal}` : `code ${code}`;
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.({ ended: '', error: `the worker process exited (${this.exitReason})` });
    });
    child.on('error', () => {});
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Runs one cell (or a replica group); resolves when the worker says it ended, or when the worker dies. */
  run(id: string | readonly string[]): Promise<FromWorker> {
    if (this.exited) return Promise.resolve({ ended: String(id), error: `the worker process had exited (${this.exitReason})` });
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.child.send({ run: id } satisfies ToWorker);
    });
  }

  /** Asks the current cell to stop after its step (SIGTERM: it checkpoints). */
  interrupt(): void {
    if (!this.exited) this.child.kill('SIGTERM');
  }

  /** Lets the worker exit once idle, and waits for it. */
  async stop(): Promise<void> {
    if (!this.exited && this.child.connected) this.child.send({ stop: true } satisfies ToWorker);
    await this.gone;
  }
}
