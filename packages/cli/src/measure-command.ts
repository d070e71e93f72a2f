import { OverparamError } from '@overparam/core';
import { measureAliases, measureMetricNames, measureRun, MEASUREMENT_FILES, parseMeasureSpec, type ImportedModelRecord, type MeasureRunOptions } from '@overparam/experiments';
import { join } from 'node:path';
import { DEFAULT_GRAM_EXAMPLES, gramMethods, gramOfs, minibatchMethods, ntkOutputModes, parseMetricNamesFlag } from '@overparam/metrics';
import { readCheckpointDirectory, runDirectory } from '@overparam/experiments/node';
import { Option, type Command } from 'commander';
import { addFlagSpecs } from './field-flags';
import { EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';
import { toRunConfig, type FlagSpec } from './train-flags';

/** Train flags that mean nothing without training; the rest (architecture, data, loss, seed, backend) carry over. */
const TRAINING_ONLY = new Set(['optimizer', 'momentum', 'weightDecay', 'virtualDepth', 'lr', 'steps', 'sampling', 'logEvery', 'metric', 'augment', 'out', 'divergenceFactor', 'checkpointEverySteps', 'checkpointEverySeconds']);

/**
 * Flags that set a key of the metric's spec, for the metrics that take it (`--n 64` ≡
 * `--metric gram:n=64`); the defaults are each metric's own (see `--metric`).
 */
const SPEC_FLAGS: ReadonlyArray<{ flags: string; key: string; help: string; number?: boolean }> = [
  { flags: '--n <n>', key: 'n', help: `examples of the training split (default: the metric's; ${DEFAULT_GRAM_EXAMPLES} for gram, confusion, spectrum, data-geometry)`, number: true },
  { flags: '--pairs <n>', key: 'pairs', help: 'minibatch pairs for minibatch-confusion (and confusion); --batch-size sets their size', number: true },
  { flags: '--of <what>', key: 'of', help: `what the Gram of gram and spectrum is of: ${gramOfs.join(' or ')} (default: output, the empirical NTK)` },
  { flags: '--outputs <mode>', key: 'outputs', help: `an NTK of k outputs as its n×n trace or the full kn×kn matrix: ${ntkOutputModes.join(' or ')}` },
  { flags: '--method <name>', key: 'method', help: `Gram engine: ${gramMethods.join(', ')}; minibatch-confusion: ${minibatchMethods.join(' or ')}` },
];

/** The flag of a measurement field, for errors that name a field (`n` → `--n`). */
export function measureFieldFlag(field: string): string | undefined {
  const own = SPEC_FLAGS.find((f) => f.key === field);
  if (own !== undefined) return own.flags.split(' ')[0];
  return field === 'layers' ? '--per-layer' : field === 'checkpoint' ? '--checkpoint' : field === 'metric' ? '--metric' : undefined;
}

/** Progress is shown for measurements of at least this many examples (or pairs); smaller ones take seconds. */
export const LONG_MEASUREMENT = 100;

/** One line per tenth of each stage on stderr (stdout carries nothing but the summary JSON). */
function progressLines(stream: CliIo['stderr'], metric: string): NonNullable<MeasureRunOptions['progress']> {
  let stage = '';
  let nextTenth = 0;
  return (name, done, total) => {
    if (name !== stage) [stage, nextTenth] = [name, 0];
    const tenth = Math.floor((10 * done) / total);
    if (tenth < nextTenth && done < total) return;
    nextTenth = tenth + 1;
    stream.write(`overparam: measure ${metric}: ${name} ${done}/${total} (${Math.round((100 * done) / total)}%)\n`);
  };
}

/** A `--metric` spec with the old names' spelling replaced; the note says what to write instead. */
function unaliased(spec: Record<string, unknown>): { spec: Record<string, unknown>; note?: string } {
  const alias = measureAliases[String(spec.name)];
  if (alias === undefined) return { spec };
  const note = `overparam: --metric ${String(spec.name)} is deprecated and will be removed in the next release; write --metric ${alias.name} --of ${alias.of}`;
  return { spec: { ...spec, ...alias }, note };
}

/** One `--metric` spec with the spec flags (`--n`, `--of`, …) and `--per-layer` folded in, checked. */
function specWithFlags(text: string, given: Record<string, unknown>, options: Record<string, unknown>): { spec: Record<string, unknown>; checked: ReturnType<typeof parseMeasureSpec>; note?: string } {
  const { spec, note } = unaliased(given);
  for (const f of SPEC_FLAGS) {
    const raw = options[f.key];
    if (raw === undefined) continue;
    const value = f.number === true ? Number(raw) : raw;
    // Only the type here: the bound is each metric's schema's (n ≥ 2 for confusion, ≥ 1 for gram), which parseMeasureSpec names under the flag.
    if (f.number === true && !Number.isInteger(value)) throw new UsageError(f.flags.split(' ')[0]!, `expected an integer, got '${String(raw)}'`);
    if (spec[f.key] !== undefined && spec[f.key] !== value) throw new UsageError(f.flags.split(' ')[0]!, `'${String(raw)}' contradicts --metric ${text}`);
    spec[f.key] = value;
  }
  if (options.perLayer === true) spec.layers = true;
  return { spec, checked: parseMeasureSpec(spec), ...(note === undefined ? {} : { note }) };
}

/**
 * `overparam measure`: one metric of a model, at initialization or from `--checkpoint`, into DIR
 * (see `measureRun` in @overparam/experiments for the files and their formats).
 */
export function addMeasureCommand(program: Command, trainSpecs: readonly FlagSpec[], io: CliIo, done: (code: number) => void): void {
  const specs = trainSpecs.filter((s) => !TRAINING_ONLY.has(s.key) && !s.field.startsWith('optimizer.'));
  const command = program
    .command('measure')
    .description('measure one metric of a model (any train --metric: Gram, NTK, gradient confusion, spectrum, population Gram, …) into a directory');
  command.addOption(
    new Option('--metric <spec>', `what to measure, named and specified as train --metric takes it (name or name:key=value,…; several names separated by commas measure each into OUT/<name>); one of: ${measureMetricNames.join(', ')}`).makeOptionMandatory(),
  );
  addFlagSpecs(command, specs);
  for (const f of SPEC_FLAGS) command.addOption(new Option(f.flags, f.help));
  command
    .option('--per-layer', 'gram and spectrum: also report each layer’s share')
    .option('--checkpoint <dir>', "measure these weights instead of the initialization: any run directory (its checkpoint/) or checkpoint directory; give the run's architecture flags")
    .requiredOption('--out <dir>', `output directory (created; an earlier measurement's files there, ${MEASUREMENT_FILES.join(', ')}, are replaced)`)
    .option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nExamples:\n  overparam measure --data synthetic --depth 3 --width 100 --metric confusion --n 256 --out runs/confusion-init\n  overparam measure --data synthetic --depth 1 --width 16 --metric spectrum --checkpoint runs/tiny --out runs/tiny-spectrum\n  overparam measure --data synthetic --depth 1 --width 16 --metric gram --of loss --n 64 --out runs/tiny-gram');

  command.action(async (options: Record<string, unknown>) => {
    const { config } = toRunConfig(specs, { ...options, metric: undefined, out: undefined });
    // Several bare names (`confusion,spectrum`) measure each in turn, into OUT/<name>; one spec measures into OUT.
    const given = parseMetricNamesFlag(String(options.metric));
    // Every spec is checked before the checkpoint is read or anything is built.
    const specsToMeasure = given.map(({ text, spec }) => specWithFlags(text, spec, options));
    for (const { note } of specsToMeasure) if (note !== undefined) io.stderr.write(`${note}\n`);
    let weights;
    if (typeof options.checkpoint === 'string') {
      const read = await readCheckpointDirectory(options.checkpoint);
      if (read === undefined) {
        throw new OverparamError('RUN_IO', `cannot read the checkpoint's manifest in ${options.checkpoint}: there is no checkpoint.json there or in its checkpoint/; pass a run directory or a checkpoint directory`);
      }
      weights = { tensors: read.tensors, source: options.checkpoint };
    }
    let noticed = false;
    for (const { spec, checked } of specsToMeasure) {
      const { store, id } = runDirectory(given.length > 1 ? join(String(options.out), checked.name) : String(options.out));
      const size = Math.max((checked as { n?: number }).n ?? 0, (checked as { pairs?: number }).pairs ?? 0);
      const progress = size >= LONG_MEASUREMENT ? progressLines(io.stderr, checked.name) : undefined;
      const onModel = (imported: ImportedModelRecord) => {
        if (!noticed) io.stderr.write(`overparam: ${imported.notice}\n`);
        noticed = true;
      };
      const summary = await measureRun(config, spec, { store, id, weights, ...(progress ? { progress } : {}), onModel });
      io.stdout.write(`${JSON.stringify({ ...summary, eigenvalues: undefined, cosineValues: undefined })}\n`);
    }
    done(EXIT_OK);
  });
}
