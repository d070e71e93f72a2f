import { liveReport, prepareReportFolder, type LiveReport } from '@overparam/report/node';
import type { CliIo } from './io';

/** `--report <dir>` of `train` and `sweep`: the HTML report, rewritten as records arrive. */
export const REPORT_FLAG = '--report <dir>';
export const REPORT_HELP = 'keep an HTML report of the run(s) in DIR up to date while training (rewritten at most every 5 s; open DIR/index.html, it reloads itself)';

/**
 * Starts a live report of `runDir` into `reportDir`, or nothing when the flag was not given. The
 * folder is created and tried first, so an unwritable one is refused before anything trains.
 */
export async function startLiveReport(reportDir: unknown, runDir: string, io: CliIo): Promise<LiveReport | undefined> {
  if (typeof reportDir !== 'string') return undefined;
  await prepareReportFolder(reportDir);
  io.stderr.write(`overparam: live report in ${reportDir}/index.html\n`);
  // A failed rewrite while training must not stop the run; the final write reports for itself.
  return liveReport([runDir], { out: reportDir, onError: (e) => io.stderr.write(`overparam: report not updated: ${e instanceof Error ? e.message : String(e)}\n`) });
}
