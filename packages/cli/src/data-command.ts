import type { Dataset, Split } from '@overparam/core';
import { dataSetAvailability, dataSets, loadDataSet } from '@overparam/data';
import { Option, type Command } from 'commander';
import { parseDataOptionPairs } from './data-options';
import { EXIT_OK, UsageError } from './errors';
import type { CliIo } from './io';

/** mean, std, min, max of a split's inputs, accumulated in float64 (population std). */
function inputStatistics(split: Split): { mean: number; std: number; min: number; max: number } {
  const x = split.x;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / x.length;
  let sq = 0;
  for (let i = 0; i < x.length; i++) sq += (x[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / x.length), min, max };
}

/** The JSON `overparam data inspect` prints: sizes per split, shapes, classes, input statistics. */
export function describeDataSet(data: Dataset) {
  const splits = { train: data.train, validation: data.validation, test: data.test };
  const classCounts = (s: Split | undefined) => {
    if (s === undefined || data.task !== 'classification') return undefined;
    const counts = new Array<number>(data.numClasses ?? 0).fill(0);
    for (let i = 0; i < s.n; i++) counts[s.y[i]!]!++;
    return counts;
  };
  return {
    name: data.name,
    description: data.description ?? null,
    task: data.task,
    examples: Object.fromEntries(Object.entries(splits).map(([k, s]) => [k, s?.n ?? 0])),
    exampleShape: data.inputShape,
    classes: data.task === 'classification' ? (data.numClasses ?? null) : null,
    targetDim: data.task === 'regression' ? (data.targetDim ?? 1) : null,
    classCounts: data.task === 'classification' ? Object.fromEntries(Object.entries(splits).map(([k, s]) => [k, classCounts(s) ?? null])) : null,
    inputStatistics: Object.fromEntries(Object.entries(splits).map(([k, s]) => [k, s === undefined ? null : inputStatistics(s)])),
  };
}

interface DataFlags {
  data?: string;
  dataDir?: string;
  dataFile?: string;
  dataSeed?: string;
  dataOption?: string[];
  json?: boolean;
}

function seedOf(text: string | undefined): number {
  if (text === undefined) return 0;
  const seed = Number(text);
  if (text.trim() === '' || !Number.isInteger(seed)) throw new UsageError('--data-seed', `expected an integer, got '${text}'`);
  return seed;
}

/** `overparam data list` and `overparam data inspect`: what data sets exist, which are here, what they hold. */
export function addDataCommand(program: Command, io: CliIo, done: (code: number) => void): void {
  const data = program.command('data').description('list the data sets and inspect one');
  const paths = (c: Command) =>
    c
      .option('--data-dir <dir>', 'directory holding a file-based data set (IDX files, CIFAR batches)')
      .option('--data-file <file>', 'CSV table of the csv data set')
      .option('--verbose', 'print stack traces of unexpected errors');

  paths(data.command('list').description('every data set, whether it can be loaded here, and if not, why and how to get it'))
    .option('--json', 'print one JSON array instead of a table')
    .action((flags: DataFlags) => {
      const rows = dataSets.map((entry) => ({ name: entry.name, source: entry.source, ...dataSetAvailability(entry.name, flags), description: entry.description }));
      if (flags.json === true) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        const width = Math.max(...rows.map((r) => r.name.length));
        for (const r of rows) {
          const status = r.available ? 'available  ' : 'unavailable';
          io.stdout.write(`${r.name.padEnd(width)}  ${status}  ${r.source.padEnd(11)}  ${r.available ? r.description : r.reason}\n`);
        }
      }
      done(EXIT_OK);
    });

  paths(data.command('inspect').description('load one data set and print its splits, shapes, classes and input statistics as one JSON object'))
    .addOption(new Option('--data <name>', 'data set to inspect').choices(dataSets.map((d) => d.name)).makeOptionMandatory())
    .option('--data-seed <n>', 'seed of a synthetic data set', '0')
    .option('--data-option <key=value...>', "the data set's own options, as for `overparam train`")
    .action((flags: DataFlags) => {
      const loaded = loadDataSet(flags.data!, {
        seed: seedOf(flags.dataSeed),
        dataDir: flags.dataDir,
        dataFile: flags.dataFile,
        options: parseDataOptionPairs(flags.dataOption ?? []),
      });
      io.stdout.write(`${JSON.stringify(describeDataSet(loaded), null, 2)}\n`);
      done(EXIT_OK);
    });
}
