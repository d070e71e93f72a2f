import { OverparamError } from '@overparam/core';
import { writeJsonAtomic } from '@overparam/core/node';
import { prepareRun } from '@overparam/experiments';
import { Option, type Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addArchitectureOptions } from './arch-flags';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import { EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';
import { measure, measureMetrics, type MeasureMetric, type Measurement } from './measure';
import { helpText, toRunConfig, type FlagSpec } from './train-flags';

/** Train flags that mean nothing without training; the rest (architecture, data, loss, seed, backend) carry over. */
const TRAINING_ONLY = new Set(['optimizer', 'momentum', 'weightDecay', 'lr', 'steps', 'sampling', 'logEvery', 'metric', 'augment', 'out']);

/** Inputs inline in examples.json up to this many values; beyond, a float32 file beside it. */
const INLINE_INPUTS = 2_000_000;

function positiveInt(flag: string, text: unknown, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(flag, `expected an integer ≥ 1, got '${String(text)}'`);
  return v;
}

function oneOf<T extends string>(flag: string, text: unknown, allowed: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!allowed.includes(text as T)) throw new UsageError(flag, `expected one of: ${allowed.join(', ')}, got '${String(text)}'`);
  return text as T;
}

/** Little-endian float64, whatever the machine's byte order. */
function float64Bytes(values: Float64Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return new Uint8Array(view.buffer);
}

function float32Bytes(values: Float32Array): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return new Uint8Array(view.buffer);
}

async function writeExamples(dir: string, data: string, m: Measurement): Promise<string[]> {
  const e = m.examples;
  const size = e.inputShape.reduce((a, b) => a * b, 1);
  const inline = e.inputs.length <= INLINE_INPUTS;
  const rows = Array.from({ length: e.indices.length }, (_, i) => Array.from(e.inputs.subarray(i * size, (i + 1) * size)));
  const targetWidth = e.targets.length / Math.max(1, e.indices.length);
  const record = {
    data,
    split: 'train',
    indices: Array.from(e.indices),
    inputShape: e.inputShape,
    ...(inline ? { inputs: rows } : { inputsFile: 'inputs.f32', inputsLayout: `[${e.indices.length}, ${e.inputShape.join(', ')}] row-major little-endian float32` }),
    ...(e.targets instanceof Int32Array ? { labels: Array.from(e.targets) } : { targets: Array.from({ length: e.indices.length }, (_, i) => Array.from(e.targets.subarray(i * targetWidth, (i + 1) * targetWidth))) }),
    ...(e.pairs ? { pairs: e.pairs.map(([a, b]) => [Array.from(a), Array.from(b)]) } : {}),
  };
  await writeFile(join(dir, 'examples.json'), `${JSON.stringify(record)}\n`);
  if (inline) return ['examples.json'];
  await writeFile(join(dir, 'inputs.f32'), float32Bytes(e.inputs));
  return ['examples.json', 'inputs.f32'];
}

/**
 * `overparam measure`: one metric of a model, at initialization or from `--checkpoint`, into DIR:
 * measure.json (summary numbers), gram.f64 (the n×n Gram, row-major little-endian float64, when the
 * metric has one), examples.json (the examples: indices into the data set's training split, inputs
 * as the model received them, labels) and checkpoint/ (the weights, TF.js weights-manifest format).
 * Together they let anyone recompute the numbers without overparam.
 */
export function addMeasureCommand(program: Command, trainSpecs: readonly FlagSpec[], io: CliIo, done: (code: number) => void): void {
  const specs = trainSpecs.filter((s) => !TRAINING_ONLY.has(s.key));
  const command = program
    .command('measure')
    .description('measure one metric (Gram, NTK, gradient confusion, spectrum, population Gram) of a model into a directory');
  command.addOption(new Option('--metric <name>', `what to measure; one of: ${measureMetrics.join(', ')}`).makeOptionMandatory());
  for (const spec of specs) command.addOption(new Option(spec.flags, helpText(spec)));
  command
    .option('--n <n>', 'examples of the training split for the Gram metrics (default: 256)')
    .option('--pairs <n>', 'minibatch pairs for minibatch-confusion (default: 100); --batch-size sets their size')
    .option('--of <what>', "spectrum of the 'output' Gram (empirical NTK) or the 'loss' Gram (default: output)")
    .option('--outputs <mode>', "an NTK of k outputs as its n×n 'trace' or the full kn×kn matrix (default: trace)")
    .option('--method <name>', 'Gram engine: auto, fast or loop (default: auto); minibatch-confusion: direct or gram (default: direct)')
    .option('--per-layer', 'also report each layer’s share')
    .option('--checkpoint <dir>', 'load the weights from a checkpoint directory (as written into DIR/checkpoint) instead of initializing')
    .requiredOption('--out <dir>', 'output directory (created; existing files in it are replaced)')
    .option('--verbose', 'print stack traces of unexpected errors');
  const archOptionsOf = addArchitectureOptions(command, specs.map((s) => s.flags));
  command.addHelpText('after', '\nExample:\n  overparam measure --data synthetic --depth 3 --width 100 --metric confusion --n 256 --out runs/confusion-init');

  command.action(async (options: Record<string, unknown>) => {
    const metric = oneOf<MeasureMetric>('--metric', options.metric, measureMetrics, 'confusion');
    const { config } = toRunConfig(specs, { ...options, metric: undefined, out: undefined }, archOptionsOf(options));
    const settings = {
      metric,
      n: positiveInt('--n', options.n, 256),
      pairs: positiveInt('--pairs', options.pairs, 100),
      batchSize: config.batchSize,
      seed: config.seed,
      of: oneOf('--of', options.of, ['output', 'loss'] as const, 'output'),
      outputs: oneOf('--outputs', options.outputs, ['trace', 'full'] as const, 'trace'),
      method: oneOf('--method', options.method, ['auto', 'fast', 'loop', 'direct', 'gram'] as const, 'auto'),
      perLayer: options.perLayer === true,
    };
    if ((metric === 'confusion' || metric === 'loss-gram') && settings.n < 2) throw new UsageError('--n', `${metric} compares pairs of examples; give at least 2`);
    const outDir = String(options.out);
    const started = Date.now();
    const run = await prepareRun(config);
    try {
      if (typeof options.checkpoint === 'string') await readCheckpoint(run.model, options.checkpoint);
      const m = await measure(run, settings);
      await mkdir(outDir, { recursive: true }).catch((e: Error) => {
        throw new OverparamError('RUN_IO', `cannot create ${outDir}: ${e.message}`, { cause: e });
      });
      const files = ['measure.json', ...(await writeExamples(outDir, run.data.name, m)), 'checkpoint/'];
      if (m.gram !== undefined) {
        await writeFile(join(outDir, 'gram.f64'), float64Bytes(m.gram.matrix));
        files.push('gram.f64');
      }
      await writeCheckpoint(run.model, join(outDir, 'checkpoint'));
      const summary = {
        metric,
        model: { arch: run.config.arch, name: run.model.name, paramCount: run.model.paramCount, options: run.modelOptions },
        data: run.data.name,
        loss: run.config.loss,
        n: metric === 'minibatch-confusion' ? undefined : settings.n,
        seed: settings.seed,
        backend: run.backend.name,
        weights: typeof options.checkpoint === 'string' ? { checkpoint: options.checkpoint } : { initialization: { seed: config.seed } },
        ...m.summary,
        ...(m.gram !== undefined ? { gramFile: { name: 'gram.f64', size: m.gram.size, layout: 'row-major little-endian float64' } } : {}),
        files,
        seconds: (Date.now() - started) / 1000,
      };
      await writeJsonAtomic(join(outDir, 'measure.json'), summary);
      io.stdout.write(`${JSON.stringify({ ...summary, eigenvalues: undefined, cosineValues: undefined })}\n`);
      done(EXIT_OK);
    } finally {
      run.model.dispose();
    }
  });
}
