import { DEFAULT_PRESET_SCALE, getPreset, presetSweeps, sweepCells, parseShard, presets, presetScales, shardFromEnvironment, slurmScript, kubernetesJob, type CriterionResult, type Preset, type PresetScale, type Verdict } from '@overparam/experiments';
import { reproducePreset, writePresetSweepFiles } from '@overparam/experiments/node';
import { reportPreset } from '@overparam/report/node';
import { isOverparamError, UnknownNameError } from '@overparam/core';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseSets } from './config-file';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors';
import { parseReplicasFlag, presetReplicasHelp, REPLICAS_FLAG } from './replicas-option';
import type { CliIo } from './io';
import { stopOnSignals } from './run-signals';
import { progressLine, spawnWorker } from './sweep-command';

function listLine(p: Preset): string {
  return `${p.id}  ${p.claim} (${p.source})`;
}

/** How each verdict reads on stderr: a failure shouts, the rest are padded to one width so names line up. */
const VERDICT_LABEL: Readonly<Record<Verdict, string>> = { pass: 'pass', fail: 'FAIL', inconclusive: 'inconclusive', reported: 'reported' };
const LABEL_WIDTH = Math.max(...Object.values(VERDICT_LABEL).map((l) => l.length));

function criteriaLines(criteria: readonly CriterionResult[]): string {
  return criteria
    .map((c) => `overparam:   ${VERDICT_LABEL[c.verdict].padEnd(LABEL_WIDTH)}  ${c.name}: measured ${c.measured ?? '—'}${c.expected !== undefined ? `; expected ${c.expected}` : ''}\n`)
    .join('');
}

export function addReproduceCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  program
    .command('reproduce')
    .description("reproduce a claim of the papers: run a preset's sweeps, judge its criteria, write the report")
    .argument('[preset]', 'the preset id (see --list)')
    .option('--list', 'list the presets, one line each, id first')
    .option('--json', 'with --list: the presets as JSON (ids, claims, sources, scales)')
    .option('--scale <scale>', `${presetScales.join(' | ')}: smoke ≤ 30 s, laptop ≤ 15 min on 2 cores, paper = the seed's protocol (a cluster)`, DEFAULT_PRESET_SCALE)
    .option('--out <dir>', 'the reproduction directory (default runs/<preset>-<scale>): one sweep directory per sweep, preset.json, report/')
    .option('--backend <name>', "run every cell on this backend (default: each config's, 'auto')")
    .option('--set <key=value...>', "override a key of every sweep's base config by dotted path (repeatable), e.g. --set steps=100; grid keys keep their grid values")
    .option('--jobs <n>', 'cells at once, each in its own worker process', '1')
    .option('--shard <i/n>', 'run only shard i of n of every sweep (default: from SLURM_ARRAY_TASK_ID/COUNT)')
    .option(REPLICAS_FLAG, presetReplicasHelp())
    .option('--retry-failed', 'run failed cells again')
    .option('--check', 'exit 1 when a criterion fails (or cells are unfinished); inconclusive and reported criteria do not count')
    .option('--emit <engine>', 'write the sweep files and print one job script per sweep instead of running: slurm or k8s')
    .option('--command <cmd>', "how the cluster's nodes run overparam, for --emit", 'npx overparam')
    .option('--verbose', 'print stack traces of unexpected errors')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  overparam reproduce --list',
        '  overparam reproduce c1-linear-regression --scale smoke --out runs/first',
        '  overparam reproduce c2-mlp-depth --jobs 2 --check',
        '  overparam reproduce c2-mlp-depth --scale paper --out /shared/c2 --emit slurm   # then run the same command without --emit to judge',
      ].join('\n'),
    )
    .action(async (id: string | undefined, options: Record<string, unknown>) => {
      if (options.list === true) {
        if (options.json === true) {
          io.stdout.write(`${JSON.stringify(presets.map((p) => ({ id: p.id, claim: p.claim, source: p.source, scales: Object.fromEntries(presetScales.map((s) => [s, p.scales[s].scaledDown])) })), null, 2)}\n`);
        } else {
          io.stdout.write(presets.map((p) => `${listLine(p)}\n`).join(''));
        }
        done(EXIT_OK);
        return;
      }
      if (id === undefined) throw new UsageError(undefined, 'name a preset (overparam reproduce --list shows them)');
      let preset: Preset;
      try {
        preset = getPreset(id);
      } catch (e) {
        // A mistyped id is a usage error: say which ids there are.
        if (e instanceof UnknownNameError) throw new UsageError('preset', `${e.message} (overparam reproduce --list describes them)`);
        throw e;
      }
      const scale = String(options.scale);
      if (!(presetScales as readonly string[]).includes(scale)) throw new UsageError('--scale', `expected one of ${presetScales.join(', ')}, got '${scale}'`);
      const jobs = Number(options.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError('--jobs', `expected an integer ≥ 1, got '${String(options.jobs)}'`);
      const replicas = parseReplicasFlag(options.replicas);
      const outDir = typeof options.out === 'string' ? options.out : join('runs', `${preset.id}-${scale}`);
      const overrides = [...(typeof options.backend === 'string' ? [{ path: 'backend', value: options.backend }] : []), ...parseSets(options.set as string[] | undefined)];
      try {
        for (const { spec } of presetSweeps(preset, scale as PresetScale, overrides)) sweepCells(spec);
      } catch (e) {
        // The preset's own sweeps are tested; a bad cell now comes from --backend or --set.
        if (overrides.length > 0 && isOverparamError(e)) throw new UsageError(typeof options.backend === 'string' && options.set === undefined ? '--backend' : '--set', e.message);
        throw e;
      }

      if (options.emit !== undefined) {
        if (options.emit !== 'slurm' && options.emit !== 'k8s') throw new UsageError('--emit', `expected slurm or k8s, got '${String(options.emit)}'`);
        for (const sweep of await writePresetSweepFiles(preset, scale as PresetScale, outDir, overrides)) {
          const emitOptions = { sweepFile: resolve(sweep.file), outDir: resolve(sweep.dir), name: sweep.name, tasks: Math.min(sweep.cells, 100), command: String(options.command), jobs };
          io.stdout.write(options.emit === 'slurm' ? slurmScript(emitOptions) : kubernetesJob(emitOptions));
        }
        io.stderr.write(`overparam: sweep files in ${outDir}; once the jobs are done, run: overparam reproduce ${preset.id} --scale ${scale} --out ${outDir}\n`);
        done(EXIT_OK);
        return;
      }

      const shard = typeof options.shard === 'string' ? parseShard(options.shard) : shardFromEnvironment(process.env);
      io.stderr.write(`overparam: reproducing ${preset.id} at scale ${scale} into ${outDir}: ${preset.claim}\n`);
      const signals = stopOnSignals(io, 'the reproduction');
      try {
        const result = await reproducePreset(preset, {
          scale: scale as PresetScale,
          outDir,
          overrides,
          jobs,
          ...(shard !== undefined ? { shard } : {}),
          retryFailed: options.retryFailed === true,
          replicas,
          signal: signals.signal,
          spawnWorker,
          onProgress: (key, p) => io.stderr.write(progressLine(`${preset.id}-${key}`, p)),
        });
        const report = await reportPreset(preset, result);
        io.stderr.write(`overparam: criteria of ${preset.id} at scale ${scale}${result.unfinished > 0 ? ` (provisional: ${result.unfinished} cells unfinished)` : ''}:\n${criteriaLines(result.criteria)}`);
        io.stdout.write(`${JSON.stringify({ preset: preset.id, scale, passed: result.passed, unfinished: result.unfinished, criteria: result.criteria, report: report.html }, null, 2)}\n`);
        io.stderr.write(`overparam: report: ${report.html}\n`);
        done(signals.exitCode() ?? (options.check === true && !result.passed ? EXIT_FAILURE : EXIT_OK));
      } finally {
        signals.dispose();
      }
    });
}
