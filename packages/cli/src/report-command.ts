import { lockDirectory } from '@overparam/experiments/node';
import { prepareReportFolder, writeReport } from '@overparam/report/node';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT_OK } from './errors';
import type { CliIo } from './io';

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * `overparam report DIR… --out report/`: run and sweep directories → index.html (self-contained:
 * inline SVG figures, no network), a PNG per figure and report.json beside it.
 */
export function addReportCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('report')
    .description('write an HTML report (figures as inline SVG and PNG, tables, configs, report.json) of run and sweep directories')
    .argument('<dir...>', 'run directories (config.json), sweep directories (sweep.json) or folders of run directories')
    .option('--out <path>', 'a folder (index.html goes inside) or a file ending in .html; PNGs and report.json go beside it', 'report')
    .option('--title <text>', 'the page title (default: overparam report: <directory name>)')
    .option('--no-png', 'leave out the PNG files')
    .option('--verbose', 'print stack traces of unexpected errors')
    .addHelpText('after', '\nExamples:\n  overparam report runs/first --out report/\n  overparam report sweeps/depth --out depth.html')
    .action(async (dirs: string[], options: { out: string; title?: string; png: boolean }) => {
      const started = Date.now();
      // One writer per report folder (a live report, another `report`); a folder that is one of the
      // inputs belongs to that directory's own writer, which a report must not wait on.
      const folder = await prepareReportFolder(options.out);
      const lock = dirs.some((d) => resolve(d) === resolve(folder)) ? undefined : await lockDirectory(folder);
      let written;
      try {
        written = await writeReport(dirs, { out: options.out, png: options.png, ...(options.title !== undefined ? { title: options.title } : {}) });
      } finally {
        await lock?.release();
      }
      for (const warning of written.warnings) io.stderr.write(`overparam: warning: ${warning}\n`);
      const pngs = written.pngs.length > 0 ? `, ${count(written.pngs.length, 'PNG')}` : '';
      io.stdout.write(`wrote ${written.html} (${count(written.runs, 'run')}, ${count(written.figures, 'figure')}${pngs}) and ${written.json} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      done(EXIT_OK);
    });
}
