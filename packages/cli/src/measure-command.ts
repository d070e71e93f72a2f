import { OverparamError } from '@overparam/core';
import { measureMetrics, measureRun, measureSpecSchema, MEASUREMENT_FILES } from '@overparam/experiments';
import { readCheckpointDirectory, runDirectory } from '@overparam/experiments/node';
import { Option, type Command } from 'commander';
import { addFlagSpecs } from './field-flags';
import { EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';
import { toRunConfig, type FlagSpec } from './train-flags';

/** Train flags that mean nothing without training; the rest (architecture, data, loss, seed, backend) carry over. */
const TRAINING_ONLY = new Set(['optimizer', 'momentum', 'weightDecay', 'virtualDepth', 'lr', 'steps', 'sampling', 'logEvery', 'metric', 'augment', 'out', 'divergenceFactor', 'checkpointEverySteps', 'checkpointEverySeconds']);

/** The measurement's own flags: the spec's fields, their help and defaults read from its schema. */
const SPEC_FLAGS: ReadonlyArray<{ flags: string; key: keyof typeof measureSpecSchema.shape; help: string; number?: boolean }> = [
  { flags: '--n <n>', key: 'n', help: 'examples of the training split for the Gram metrics and data-geometry', number: true },
  { flags: '--pairs <n>', key: 'pairs', help: 'minibatch pairs for minibatch-confusion; --batch-size sets their size', number: true },
  { flags: '--of <what>', key: 'of', help: "the spectrum of the 'output' Gram (the empirical NTK) or the 'loss' Gram" },
  { flags: '--outputs <mode>', key: 'outputs', help: "an NTK of k outputs as its n×n 'trace' or the full kn×kn matrix" },
  { flags: '--method <name>', key: 'method', help: 'Gram engine: auto, fast or loop; minibatch-confusion: direct or gram (auto means direct)' },
];

/** The flag of a measurement field, for errors that name a field (`n` → `--n`). */
export function measureFieldFlag(field: string): string | undefined {
  const own = SPEC_FLAGS.find((f) => f.key === field);
  if (own !== undefined) return own.flags.split(' ')[0];
  return field === 'checkpoint' ? '--checkpoint' : field === 'metric' ? '--metric' : undefined;
}

function defaultOf(key: keyof typeof measureSpecSchema.shape): unknown {
  return (measureSpecSchema.shape[key] as unknown as { def?: { defaultValue?: unknown } }).def?.defaultValue;
}

/**
 * `overparam measure`: one metric of a model, at initialization or from `--checkpoint`, into DIR
 * (see `measureRun` in @overparam/experiments for the files and their formats).
 */
export function addMeasureCommand(program: Command, trainSpecs: readonly FlagSpec[], io: CliIo, done: (code: number) => void): void {
  const specs = trainSpecs.filter((s) => !TRAINING_ONLY.has(s.key) && !s.field.startsWith('optimizer.'));
  const command = program
    .command('measure')
    .description('measure one metric (Gram, NTK, gradient confusion, spectrum, population Gram, input geometry) of a model into a directory');
  command.addOption(new Option('--metric <name>', `what to measure; one of: ${measureMetrics.join(', ')}`).makeOptionMandatory());
  addFlagSpecs(command, specs);
  for (const f of SPEC_FLAGS) command.addOption(new Option(f.flags, `${f.help} (default: ${String(defaultOf(f.key))})`));
  command
    .option('--per-layer', 'also report each layer’s share')
    .option('--checkpoint <dir>', "measure these weights instead of the initialization: any run directory (its checkpoint/) or checkpoint directory; give the run's architecture flags")
    .requiredOption('--out <dir>', `output directory (created; an earlier measurement's files there, ${MEASUREMENT_FILES.join(', ')}, are replaced)`)
    .option('--verbose', 'print stack traces of unexpected errors');
  command.addHelpText('after', '\nExamples:\n  overparam measure --data synthetic --depth 3 --width 100 --metric confusion --n 256 --out runs/confusion-init\n  overparam measure --data synthetic --depth 1 --width 16 --metric spectrum --checkpoint runs/tiny --out runs/tiny-spectrum');

  command.action(async (options: Record<string, unknown>) => {
    const { config } = toRunConfig(specs, { ...options, metric: undefined, out: undefined });
    const spec: Record<string, unknown> = { metric: options.metric, perLayer: options.perLayer === true };
    for (const f of SPEC_FLAGS) {
      const raw = options[f.key];
      if (raw === undefined) continue;
      const value = f.number === true ? Number(raw) : raw;
      if (f.number === true && (!Number.isInteger(value) || (value as number) < 1)) throw new UsageError(f.flags.split(' ')[0]!, `expected an integer ≥ 1, got '${String(raw)}'`);
      spec[f.key] = value;
    }
    let weights;
    if (typeof options.checkpoint === 'string') {
      const read = await readCheckpointDirectory(options.checkpoint);
      if (read === undefined) {
        throw new OverparamError('RUN_IO', `cannot read the checkpoint's manifest in ${options.checkpoint}: there is no checkpoint.json there or in its checkpoint/; pass a run directory or a checkpoint directory`);
      }
      weights = { tensors: read.tensors, source: options.checkpoint };
    }
    const { store, id } = runDirectory(String(options.out));
    const summary = await measureRun(config, spec, { store, id, weights });
    io.stdout.write(`${JSON.stringify({ ...summary, eigenvalues: undefined, cosineValues: undefined })}\n`);
    done(EXIT_OK);
  });
}
