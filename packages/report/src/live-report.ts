import type { RecordSink } from '@overparam/core';
import { writeReport, type WriteReportOptions, type WrittenReport } from './write-report';

export interface LiveReportOptions extends Omit<WriteReportOptions, 'refreshSeconds'> {
  /** At most one rewrite per this many milliseconds (default 5000); the page reloads at the same pace. */
  readonly everyMs?: number;
  /** A failed rewrite while training must not stop the run; it is passed here (default: dropped) and the final write reports for itself. */
  readonly onError?: (error: unknown) => void;
}

export interface LiveReport {
  /** Something new was recorded: rewrite now, or once the interval has passed. */
  notify(): void;
  /** Rewrites once more without the reload (and with the PNGs) and stops. */
  close(): Promise<WrittenReport>;
  /** Rewrites done so far, the final one included. */
  readonly writes: number;
}

/**
 * A report that follows runs as they record: `overparam train … --report` calls `notify()` on
 * each record (see `liveReportSink`), and the page, which reloads itself, shows the runs at most
 * `everyMs` behind. Intermediate rewrites skip the PNGs, which only the final report needs.
 */
export function liveReport(dirs: readonly string[], options: LiveReportOptions): LiveReport {
  const everyMs = options.everyMs ?? 5000;
  let lastWrite = -Infinity;
  let writing: Promise<unknown> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let writes = 0;

  const rewrite = () => {
    timer = undefined;
    lastWrite = Date.now();
    writing = writeReport(dirs, { ...options, png: false, refreshSeconds: everyMs / 1000 })
      .then(() => void writes++)
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => (writing = undefined));
  };

  return {
    notify() {
      if (closed || timer !== undefined) return;
      const wait = Math.max(0, lastWrite + everyMs - Date.now());
      if (wait === 0 && writing === undefined) rewrite();
      else {
        // One trailing rewrite catches whatever arrived meanwhile; unref'd so it never keeps a finished process alive.
        timer = setTimeout(() => (writing !== undefined ? void writing.then(rewrite) : rewrite()), Math.max(wait, 1));
        (timer as { unref?: () => void }).unref?.();
      }
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await writing;
      const written = await writeReport(dirs, options);
      writes++;
      return written;
    },
    get writes() {
      return writes;
    },
  };
}

/** A record sink for core's training loop that tells a live report about every record. */
export function liveReportSink(report: LiveReport): RecordSink {
  return { write: () => report.notify() };
}
