import { parseRunConfig, run, type RunConfig, type RunResult, type RunStart, type RunSummary } from '@overparam/experiments';
import { saveModelFiles } from '@overparam/architectures/node';
import type { ImportedModel } from '@overparam/architectures';
import type { Model } from '@overparam/core';
import { RUN_FILES, runDirectory } from '@overparam/experiments/node';
import { join } from 'node:path';
import type { Command } from 'commander';
import { blameConfigFile, parseSets, readConfigFile } from './config-file';
import { EXIT_DIVERGED, EXIT_FAILURE, EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';
import { progressReporter, type ProgressReporter } from './progress';
import { REPORT_FLAG, REPORT_HELP, startLiveReport, type LiveReportHandle } from './live-report-option';
import { stopOnSignals } from './run-signals';
import { addFlagSpecs } from './field-flags';
import { toRunConfig, type FlagSpec } from './train-flags';

/** Why `auto` passed a backend over, short: the full reason and install hint are in `overparam backends`. */
function shortReason(name: string, reason: string): string {
  return reason.replace(`backend '${name}' is not available: `, '').split('; ')[0]!;
}

function startLine(start: RunStart): string {
  const skipped =
    start.backendSkipped.length > 0
      ? ` (skipped ${start.backendSkipped.map((s) => `${s.name}: ${shortReason(s.name, s.reason)}`).join('; ')}; see \`overparam backends\`)`
      : '';
  const verb = start.fromStep > 0 ? `resuming ${start.modelName} from step ${start.fromStep}` : `training ${start.modelName}`;
  const imported = start.imported === undefined ? '' : `overparam: ${start.imported.notice}\n`;
  return `${imported}overparam: ${verb} (${start.paramCount.toLocaleString('en-US')} parameters) on ${start.data} with the ${start.backend} backend${skipped} into ${start.where}\n`;
}

function round(value: number | null): string {
  return value === null ? 'n/a' : value.toPrecision(4);
}

function endLine(summary: RunSummary, where: string, alreadyEnded: boolean): string {
  const epochs = `${summary.epochs.toFixed(2)} epochs`;
  const result =
    summary.outcome === 'diverged'
      ? `diverged at step ${summary.divergedAtStep}: ${summary.divergence?.reason ?? 'loss not finite'}`
      : summary.outcome === 'aborted'
        ? `stopped after ${summary.steps} of ${summary.requestedSteps} steps (${epochs}); continue with \`overparam train --resume ${where}\``
        : `completed ${summary.steps} steps (${epochs}), test accuracy ${round(summary.testAccuracy)}, final train loss ${round(summary.finalTrainLoss)}`;
  return `overparam: ${alreadyEnded ? 'this run had already ended: ' : ''}${result}${alreadyEnded ? '' : ` in ${summary.seconds.toFixed(1)} s`}; see ${where}/summary.json\n`;
}

/** Whether a config field was set on the command line (by its flag, or by `--set`), not by `--config`'s file. */
function givenOnCommandLine(field: string, specs: readonly FlagSpec[], options: Record<string, unknown>, sets: ReadonlyArray<{ path: string }>): boolean {
  const touches = (path: string) => field === path || field.startsWith(`${path}.`) || path.startsWith(`${field}.`);
  return sets.some((s) => touches(s.path)) || specs.some((s) => options[s.key] !== undefined && touches(s.field));
}

/** `--export-model` writes a model file's layers back, so the run must train one, as it is: refused before anything is trained. */
function checkExportable(config: RunConfig): void {
  if (config.model === undefined) throw new UsageError('--export-model', `writes a model read with --model back as a Layers model; this run trains --arch ${config.arch}; give --model FILE, or leave --export-model out`);
  if (config.overparameterize !== undefined && config.overparameterize.factors > 1) {
    throw new UsageError('--export-model', "writes the model file's own layers back, and overparameterize replaces its dense layers by products of matrices; leave out one of the two");
  }
}

async function exportModel(model: Model, dir: string, io: CliIo): Promise<void> {
  await saveModelFiles(model as ImportedModel, dir);
  io.stderr.write(`overparam: trained weights written as a Layers model to ${join(dir, 'model.json')}\n`);
}

/** Exit codes by outcome: a diverged run did what was asked but produced no trained model. */
function exitCodeOf(result: RunResult, interrupted: number | undefined): number {
  if (result.summary.outcome === 'aborted') return interrupted ?? EXIT_FAILURE;
  if (result.summary.outcome === 'diverged') return EXIT_DIVERGED;
  return EXIT_OK;
}

/**
 * `overparam train`: flags (or `--config` plus flags and `--set`) → validated config → run
 * directory; or `--resume DIR` to continue a run. Everything is checked before the backend loads
 * or a file is written; the summary goes to stdout as JSON, everything else to stderr.
 */
export function addTrainCommand(program: Command, specs: readonly FlagSpec[], io: CliIo, done: (code: number) => void): void {
  const command = program.command('train').description('train one configured run into a run directory (config.json, metrics.jsonl, summary.json, checkpoint/)');
  // Every run-config field's flag (architectures' options included), from the schemas.
  addFlagSpecs(command, specs);
  command
    .option('--config <file>', "start from a run config in JSON (a run's config.json replays that run); flags given override its keys")
    .option('--set <key=value...>', 'override any config key by its dotted path, after the flags (repeatable), e.g. --set optimizer.momentum=0.9')
    .option('--export-model <dir>', 'with --model: when the run completes, write the trained weights into DIR as a Layers model again (model.json + shards, loadable by tf.loadLayersModel)')
    .option('--resume <dir>', 'continue the run in DIR (killed, stopped or failed) from its last checkpoint; takes no config flags')
    .option(REPORT_FLAG, REPORT_HELP)
    .option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText(
    'after',
    [
      '',
      'The summary is printed to stdout as JSON; progress goes to stderr.',
      'Ctrl-C (or SIGTERM) stops after the current step, writes a checkpoint and summary.json (aborted), and exits 130 (143).',
      'Exit codes: 0 completed, 1 failed, 2 bad usage, 3 diverged, 130/143 stopped.',
      '',
      'Examples:',
      '  overparam train --data synthetic --depth 1 --width 16 --steps 200 --out runs/tiny',
      '  overparam train --config runs/tiny/config.json --set lr=0.1 --out runs/tiny-lr0.1',
      '  overparam train --resume runs/tiny',
      '  overparam train --model fixtures/my-cnn/model.json --data fashion-mnist --steps 200 --export-model runs/my-cnn-trained',
    ].join('\n'),
  );

  command.action(async (options: Record<string, unknown>) => {
    const sets = parseSets(options.set as string[] | undefined);
    let config;
    let outDir: string;
    if (typeof options.resume === 'string') {
      const given = specs.filter((s) => options[s.key] !== undefined && s.key !== 'out').map((s) => s.flags.split(' ')[0]);
      if (given.length > 0 || typeof options.config === 'string' || sets.length > 0) {
        throw new UsageError('--resume', `continues a run with its own config; leave out ${[...given, ...(options.config ? ['--config'] : []), ...(sets.length ? ['--set'] : [])].join(', ')}`);
      }
      outDir = options.resume;
      const { store, id } = runDirectory(outDir);
      const stored = await store.readConfig(id);
      if (stored === undefined) throw new UsageError('--resume', `${outDir} holds no run (no config.json)`);
      // Every key comes from the run's config.json: a bad one is that file's fault, not a flag's.
      try {
        config = parseRunConfig(stored);
      } catch (e) {
        throw blameConfigFile(e, '--resume', join(outDir, RUN_FILES.config), () => false);
      }
    } else {
      const base = typeof options.config === 'string' ? await readConfigFile(options.config) : undefined;
      try {
        ({ config, outDir } = toRunConfig(specs, options, base, sets));
      } catch (e) {
        throw typeof options.config === 'string' ? blameConfigFile(e, '--config', options.config, (field) => givenOnCommandLine(field, specs, options, sets)) : e;
      }
    }

    const exportTo = typeof options.exportModel === 'string' ? options.exportModel : undefined;
    if (exportTo !== undefined) checkExportable(config);
    const { store, id } = runDirectory(outDir);
    const signals = stopOnSignals(io, 'the run');
    let live: LiveReportHandle | undefined;
    let progress: ProgressReporter | undefined;
    try {
      live = await startLiveReport(options.report, outDir, io);
      const result = await run(config, {
        store,
        id,
        resume: typeof options.resume === 'string' ? 'require' : 'never',
        signal: signals.signal,
        onStart: (start) => {
          io.stderr.write(startLine(start));
          progress = progressReporter(io.stderr, config.steps, start.fromStep);
        },
        onProgress: (p) => {
          progress?.update(p);
          live?.notify();
        },
        ...(exportTo === undefined ? {} : { onCompleted: (model: Model) => exportModel(model, exportTo, io) }),
      });
      progress?.stop();
      if (live !== undefined) io.stderr.write(`overparam: report written to ${(await live.close()).html}\n`);
      io.stderr.write(endLine(result.summary, outDir, result.alreadyEnded));
      io.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
      done(exitCodeOf(result, signals.exitCode()));
    } finally {
      progress?.stop();
      signals.dispose();
      await live?.release();
    }
  });
}
