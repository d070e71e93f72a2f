import { runExperiment, type RunStart, type RunSummary } from '@overparam/experiments/node';
import { Option, type Command } from 'commander';
import { addArchitectureOptions } from './arch-flags';
import { EXIT_INTERRUPTED, EXIT_OK } from './errors';
import type { CliIo } from './io';
import { progressReporter, type ProgressReporter } from './progress';
import { helpText, toRunConfig, type FlagSpec } from './train-flags';

/** Why `auto` passed a backend over, short: the full reason and install hint are in `overparam backends`. */
function shortReason(name: string, reason: string): string {
  return reason.replace(`backend '${name}' is not available: `, '').split('; ')[0]!;
}

function startLine(start: RunStart): string {
  const skipped =
    start.backendSkipped.length > 0
      ? ` (skipped ${start.backendSkipped.map((s) => `${s.name}: ${shortReason(s.name, s.reason)}`).join('; ')}; see \`overparam backends\`)`
      : '';
  return `overparam: training ${start.modelName} (${start.paramCount.toLocaleString('en-US')} parameters) on ${start.data} with the ${start.backend} backend${skipped} into ${start.outDir}\n`;
}

function round(value: number | null): string {
  return value === null ? 'n/a' : value.toPrecision(4);
}

function endLine(summary: RunSummary, outDir: string): string {
  const result =
    summary.outcome === 'diverged'
      ? `diverged at step ${summary.divergedAtStep}`
      : summary.outcome === 'aborted'
        ? `interrupted after ${summary.steps} steps`
        : `completed ${summary.steps} steps, test accuracy ${round(summary.testAccuracy)}, final train loss ${round(summary.finalTrainLoss)}`;
  return `overparam: ${result} in ${summary.seconds.toFixed(1)} s; see ${outDir}/summary.json\n`;
}

/**
 * `overparam train`: flags → validated config → run directory. Every flag is checked before the
 * backend loads or a file is written; the summary goes to stdout as JSON, everything else to stderr.
 */
export function addTrainCommand(program: Command, specs: readonly FlagSpec[], io: CliIo, done: (code: number) => void): void {
  const command = program.command('train').description('train one configured run into a run directory (config.json, metrics.jsonl, summary.json)');
  for (const spec of specs) command.addOption(new Option(spec.flags, helpText(spec)));
  // Options of the other architectures (--width-factor, --no-skip, --hidden-widths, …), from their schemas.
  const archOptionsOf = addArchitectureOptions(command, specs.map((s) => s.flags));
  command.option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nThe summary is printed to stdout as JSON; progress goes to stderr. Ctrl-C stops after the current step and still writes summary.json.');

  command.action(async (options: Record<string, unknown>) => {
    const { config, outDir } = toRunConfig(specs, options, archOptionsOf(options));
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    // The first Ctrl-C ends the run cleanly; a second one, with this listener gone, kills it.
    process.once('SIGINT', interrupt);
    let progress: ProgressReporter | undefined;
    try {
      const summary = await runExperiment(config, {
        outDir,
        signal: controller.signal,
        onStart: (start) => {
          io.stderr.write(startLine(start));
          progress = progressReporter(io.stderr, config.steps);
        },
        onProgress: (p) => progress?.update(p),
      });
      progress?.stop();
      io.stderr.write(endLine(summary, outDir));
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      done(summary.outcome === 'aborted' ? EXIT_INTERRUPTED : EXIT_OK);
    } finally {
      progress?.stop();
      process.off('SIGINT', interrupt);
    }
  });
}
