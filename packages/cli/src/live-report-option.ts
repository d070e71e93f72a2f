import { lockDirectory } from '@overparam/experiments/node';
import { liveReport, prepareReportFolder, type WrittenReport } from '@overparam/report/node';
import { resolve } from 'node:path';
import type { CliIo } from './io';

/** `--report <dir>` of `train` and `sweep`: the HTML report, rewritten as records arrive. */
export const REPORT_FLAG = '--report <dir>';
export const REPORT_HELP = 'keep an HTML report of the run(s) in DIR up to date while training (rewritten at most every 5 s; open DIR/index.html, it reloads itself)';

/** A live report and its folder's lock: `close` writes the last report, `release` lets the folder go (always call it). */
export interface LiveReportHandle {
  notify(): void;
  close(): Promise<WrittenReport>;
  release(): Promise<void>;
}

/**
 * Starts a live report of `dataDir` (a run or sweep directory) into `reportDir`, or nothing when the
 * flag was not given. The folder is created and tried first, so an unwritable one is refused
 * before anything trains.
 */
export async function startLiveReport(reportDir: unknown, dataDir: string, io: CliIo): Promise<LiveReportHandle | undefined> {
  if (typeof reportDir !== 'string') return undefined;
  await prepareReportFolder(reportDir);
  // One writer per report folder; a report kept in the run or sweep directory itself is covered by that directory's lock.
  const lock = resolve(reportDir) === resolve(dataDir) ? undefined : await lockDirectory(reportDir);
  io.stderr.write(`overparam: live report in ${reportDir}/index.html\n`);
  // A failed rewrite while training must not stop the run; the final write reports for itself.
  const live = liveReport([dataDir], { out: reportDir, onError: (e) => io.stderr.write(`overparam: report not updated: ${e instanceof Error ? e.message : String(e)}\n`) });
  return { notify: () => live.notify(), close: () => live.close(), release: async () => lock?.release() };
}
