import { OverparamError } from '@overparam/core';
import { kubernetesJob, parseShard, parseSweep, shardFromEnvironment, slurmScript, sweepCells } from '@overparam/experiments';
import { errorReply, mergeSweeps, runSweep, runSweepCell, type FromWorker, type SweepProgress, type SweepReport, type ToWorker } from '@overparam/experiments/node';
import { fork } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { withModelBesideFile } from './config-file';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors';
import { parseReplicasFlag, REPLICAS_DEFAULT, REPLICAS_FLAG, REPLICAS_HELP } from './replicas-option';
import type { CliIo } from './io';
import { REPORT_FLAG, REPORT_HELP, startLiveReport, type LiveReportHandle } from './live-report-option';
import { stopOnSignals } from './run-signals';

/** The example `overparam sweep --help` shows: the smallest useful sweep file. */
export const SWEEP_EXAMPLE = {
  name: 'depth',
  base: { arch: 'mlp', archOptions: { width: 16 }, data: 'synthetic', steps: 50 },
  grid: { 'archOptions.depth': [1, 2], lr: [0.1, 0.01] },
  seeds: [0, 1],
};

async function readSweepFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(undefined, `cannot read the sweep file ${path}: ${(e as Error).message}`);
  }
  let spec: unknown;
  try {
    spec = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new UsageError(undefined, `${path} is not ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  return withModelsBesideFile(spec, path);
}

/**
 * The sweep a file holds and its cells; an invalid sweep (a field of the wrong type, a cell no
 * run config accepts) is named by its file, which the schema's message cannot know.
 */
async function readSweep(file: string): Promise<{ spec: ReturnType<typeof parseSweep>; cells: ReturnType<typeof sweepCells> }> {
  const content = await readSweepFile(file);
  try {
    const spec = parseSweep(content);
    return { spec, cells: sweepCells(spec) };
  } catch (e) {
    if (e instanceof OverparamError && e.code === 'SWEEP_INVALID') throw new OverparamError(e.code, `${file}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Model files a sweep names (its base's `model`, a grid over `model`) are relative to the sweep file, as a config file's are. */
function withModelsBesideFile(spec: unknown, path: string): unknown {
  if (typeof spec !== 'object' || spec === null) return spec;
  const { base, grid } = spec as { base?: unknown; grid?: unknown };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const models = isObject(grid) && Array.isArray(grid.model) ? { ...grid, model: grid.model.map((m) => (typeof m === 'string' ? withModelBesideFile({ model: m }, path).model : m)) } : grid;
  return { ...spec, ...(isObject(base) ? { base: withModelBesideFile(base, path) } : {}), ...(grid === undefined ? {} : { grid: models }) };
}

export function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function progressLine(name: string, p: SweepProgress): string {
  const cell = p.cell === undefined ? '' : ` (${p.cell.status}: ${Object.entries(p.cell.overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}${Object.keys(p.cell.overrides).length ? ', ' : ''}seed ${p.cell.seed})`;
  return `overparam: sweep ${name}: ${p.done}/${p.total} done, ${p.running} running, ${p.failed} failed, ${p.diverged} diverged, ETA ${clock(p.etaSeconds)}${cell}\n`;
}

/**
 * A worker process of `--jobs N`: this very program (the built bin, or the sources under tsx in
 * development) with Node's own flags, through `fork`, whose IPC channel carries the cells and
 * lets a worker notice when the sweep process is gone and stop (its cell resumes next time).
 */
export function spawnWorker(dir: string) {
  const entry = process.argv[1];
  if (entry === undefined) throw new OverparamError('SWEEP_INVALID', '--jobs: cannot tell how this program was started, so cannot start workers; run with --jobs 1');
  return fork(entry, ['sweep', 'worker', dir], { execArgv: process.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

function summaryLines(report: SweepReport): string {
  const o = report.outcomes;
  const lines = [
    `overparam: sweep ${report.name}${report.shard ? ` shard ${report.shard.index}/${report.shard.count}` : ''}: ${report.cells} cells, ${o.completed} completed, ${o.diverged} diverged, ${o.failed} failed, ${o.aborted + o.running} unfinished; ran ${report.ran} now; see ${report.outDir}`,
    ...report.failedCells.map((f) => `overparam:   failed ${f.id}: ${f.error ?? 'no error recorded'} (rerun with --retry-failed once fixed)`),
    ...report.unfinishedCells.map((u) => `overparam:   unfinished ${u.id}: ${u.error} (rerun the same command once fixed; it resumes)`),
    ...(report.lrPicks ?? []).map((p) => `overparam:   ${JSON.stringify(p.point)}: ${p.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

export function addSweepCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  const sweep = program
    .command('sweep')
    .description('run a grid of runs × seeds from a sweep file (JSON or YAML) into a directory; skips finished runs, resumes killed ones')
    // `sweep merge --out` is merge's own --out, not the sweep's.
    .enablePositionalOptions()
    .argument('[file]', 'the sweep file')
    .option('--out <dir>', 'the sweep directory (sweep.json, runs/<cell id>/)')
    .option('--jobs <n>', 'cells at once, each in its own worker process (the wasm backend uses one core per process)', '1')
    .option('--shard <i/n>', 'run only shard i of n (replica groups k with k mod n = i; with --replicas 1, cells); default: from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX')
    .option('--shard-count <n>', 'the number of shards when JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) gives the index')
    .option(REPLICAS_FLAG, REPLICAS_HELP, REPLICAS_DEFAULT)
    .option('--retry-failed', 'run failed cells again (by default they stay failed and are reported)')
    .option(REPORT_FLAG, REPORT_HELP)
    .option('--emit <engine>', 'print a job script instead of running: slurm (a job array) or k8s (an Indexed Job)')
    .option('--tasks <n>', 'array tasks (shards) for --emit (default: one per cell, at most 100)')
    .option('--command <cmd>', "how the cluster's nodes run overparam, for --emit", 'npx overparam')
    .option('--verbose', 'print stack traces of unexpected errors')
    .addHelpText(
      'after',
      [
        '',
        'A sweep file: a base run config (the form of a run\'s config.json), a grid over any of its keys by',
        'dotted path, and seeds; optionally lrSearch: { "rule": "sankararaman-a1" } or { "rule": "arora-c1", "target": 0.1 }.',
        `Example: ${JSON.stringify(SWEEP_EXAMPLE)}`,
        '',
        'Examples:',
        '  overparam sweep depth.json --out runs/depth --jobs 2',
        '  overparam sweep depth.json --out /shared/depth --emit slurm > depth.sbatch && sbatch depth.sbatch',
        '  overparam sweep merge --out runs/depth runs/depth-shard-0 runs/depth-shard-1',
      ].join('\n'),
    )
    .action(async (file: string | undefined, options: Record<string, unknown>) => {
      if (file === undefined) throw new UsageError(undefined, 'name a sweep file (see overparam sweep --help for an example)');
      const { spec, cells } = await readSweep(file);
      const jobs = Number(options.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs', `expected an integer ≥ 1, got '${String(options.jobs)}'`);
      const replicas = parseReplicasFlag(options.replicas);
      if (typeof options.out !== 'string') throw new UsageError('--out', 'name the sweep directory');
      if (options.emit !== undefined) {
        if (options.emit !== 'slurm' && options.emit !== 'k8s') throw new UsageError('--emit', `expected slurm or k8s, got '${String(options.emit)}'`);
        const tasks = options.tasks === undefined ? Math.min(cells.length, 100) : Number(options.tasks);
        if (!Number.isInteger(tasks) || tasks < 1) throw new UsageError('--tasks', `expected an integer ≥ 1, got '${String(options.tasks)}'`);
        const emitOptions = { sweepFile: resolve(file), outDir: resolve(options.out), name: spec.name, tasks, command: String(options.command), jobs };
        io.stdout.write(options.emit === 'slurm' ? slurmScript(emitOptions) : kubernetesJob(emitOptions));
        done(EXIT_OK);
        return;
      }
      const shardCount = options.shardCount === undefined ? undefined : Number(options.shardCount);
      if (shardCount !== undefined && (!Number.isInteger(shardCount) || shardCount < 1)) throw new UsageError('--shard-count', `expected an integer ≥ 1, got '${String(options.shardCount)}'`);
      const shard = typeof options.shard === 'string' ? parseShard(options.shard) : shardFromEnvironment(process.env, shardCount);
      const signals = stopOnSignals(io, 'the sweep');
      let live: LiveReportHandle | undefined;
      try {
        live = await startLiveReport(options.report, options.out, io);
        const report = await runSweep(spec, {
          outDir: options.out,
          jobs,
          shard,
          retryFailed: options.retryFailed === true,
          replicas,
          signal: signals.signal,
          spawnWorker,
          onProgress: (p) => {
            io.stderr.write(progressLine(spec.name, p));
            live?.notify();
          },
        });
        if (live !== undefined) io.stderr.write(`overparam: report written to ${(await live.close()).html}\n`);
        io.stderr.write(summaryLines(report));
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        done(signals.exitCode() ?? (report.failedCells.length + report.unfinishedCells.length > 0 ? EXIT_FAILURE : EXIT_OK));
      } finally {
        signals.dispose();
        await live?.release();
      }
    });

  sweep
    .command('merge')
    .description('join shard directories of one sweep into one sweep directory; reports missing and duplicated cells')
    .argument('<shards...>', 'shard directories')
    .requiredOption('--out <dir>', 'the merged sweep directory')
    .action(async (shards: string[], options: { out: string }) => {
      const report = await mergeSweeps(options.out, shards);
      io.stderr.write(
        `overparam: merged ${report.merged} of ${report.cells} cells from ${shards.length} shard directories into ${report.outDir}` +
          `${report.duplicated.length ? `; ${report.duplicated.length} cells ended in more than one shard (kept the first): ${report.duplicated.map((d) => d.id).join(', ')}` : ''}` +
          `${report.missing.length ? `; ${report.missing.length} cells missing (rerun their shards): ${report.missing.map((m) => `${m.id} (${m.status})`).join(', ')}` : ''}\n`,
      );
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      done(report.missing.length > 0 ? EXIT_FAILURE : EXIT_OK);
    });

  // A worker process of `--jobs N`: runs the cells the sweep sends it. Not for people, so not in --help.
  sweep
    .command('worker', { hidden: true })
    .argument('<dir>')
    .action(async (dir: string) => {
      // The sweep process is gone (killed): stop at once; the cell resumes from its checkpoint next time.
      const orphaned = () => process.kill(process.pid, 'SIGKILL');
      process.on('disconnect', orphaned);
      const signals = stopOnSignals(io, 'the current cell');
      const reply = (message: FromWorker) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
      try {
        await new Promise<void>((resolve) => {
          process.on('message', (message: ToWorker) => {
            if ('stop' in message) return resolve();
            void runSweepCell(dir, message.run, signals.signal)
              .then((status) => reply({ ended: String(message.run), status }))
              .catch((e: unknown) => reply(errorReply(String(message.run), e)))
              // Stopped by a signal: the sweep is stopping too; this worker is done.
              .then(() => signals.signal.aborted && resolve());
          });
        });
      } finally {
        signals.dispose();
        process.off('disconnect', orphaned);
        process.disconnect?.();
      }
      done(signals.exitCode() ?? EXIT_OK);
    });
}
