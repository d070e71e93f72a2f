import { parseRunConfig, setAtPath } from '@overparam/experiments';
import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildProgram } from './cli';
import { EXIT_DIVERGED, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors';
import { cli, temporaryRoot } from './test-cli';

/**
 * Every flag of every command, and every run-config key, with values at and past their edges:
 * each invocation must end with a known exit code, an error must be one line without a stack
 * trace or "unexpected error", and nothing may hang. The flags are read from the program itself
 * (buildProgram), the config keys from the run config's defaults, so a new flag or key is fuzzed
 * without touching this file. Runs in-process: no process start-up per case.
 */

/** Empty, zero, negative, not a number, overflowing, fractional, wrong type, hostile text. */
const EDGE_VALUES = ['', '0', '-1', 'NaN', '1e400', '0.5', '{"a":1}', '../fuzz-escape', "x'; rm -rf / #\u202e\u0000\n"];

/** A hang, not a slow machine: the slowest valid case here trains one step of an MLP-1-2. */
const CEILING_MS = 30_000;

const root = await temporaryRoot('overparam-fuzz-');
const cwd = process.cwd();
// Relative paths among the values ('../fuzz-escape') must land inside the temporary root.
beforeAll(async () => {
  await mkdir(join(root, 'cwd', 'inner'), { recursive: true });
  process.chdir(join(root, 'cwd', 'inner'));
});
afterAll(() => process.chdir(cwd));

let serial = 0;
const fresh = () => join(root, `out-${serial++}`);

/** Arguments that make each command cheap when the fuzzed flag is valid; `out` is a fresh directory. */
function baseArgs(path: string): string[] | undefined {
  const tinyNet = ['--arch', 'mlp', '--depth', '1', '--width', '2', '--data', 'synthetic', '--backend', 'cpu'];
  switch (path) {
    case 'train':
      return [...tinyNet, '--steps', '1', '--out', fresh()];
    case 'measure':
      return [...tinyNet, '--metric', 'gram', '--of', 'loss', '--n', '4', '--out', fresh()];
    case 'describe':
      return ['--arch', 'mlp', '--depth', '1', '--width', '2'];
    case 'data inspect':
      return ['--data', 'synthetic'];
    case 'sweep':
      return [join(root, 'sweep.json'), '--out', fresh()];
    case 'sweep merge':
      return ['--out', fresh(), join(root, 'no-shard')];
    case 'report':
      return [join(root, 'run'), '--out', fresh()];
    // --list keeps a valid flag from running a whole preset.
    case 'reproduce':
      return ['--list'];
    case 'backends':
    case 'data list':
      return [];
    // `setup node-backend` downloads TensorFlow (its own test covers its flags); `sweep worker` waits for a parent.
    default:
      return undefined;
  }
}

function commandsOf(command: Command, prefix: string[] = []): Array<{ path: string; command: Command }> {
  return command.commands.flatMap((c) => {
    const path = [...prefix, c.name()];
    return [{ path: path.join(' '), command: c }, ...commandsOf(c, path)];
  });
}

interface Outcome {
  readonly args: readonly string[];
  readonly code: number;
  readonly stderr: string;
}

/** What is wrong with one invocation's outcome, or undefined when nothing is. */
function problem({ code, stderr }: Outcome): string | undefined {
  if (![EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_DIVERGED].includes(code)) return `exit ${code}`;
  if (/unexpected error/.test(stderr)) return 'unexpected error';
  if (/\n\s+at /.test(stderr)) return 'stack trace';
  if (code === EXIT_USAGE && stderr.trimEnd().split('\n').length !== 1) return `usage error in ${stderr.trimEnd().split('\n').length} lines`;
  // A failed run may have printed its start and progress first; the error itself is one line.
  if (code === EXIT_FAILURE && !/^overparam: .+$/.test(stderr.trimEnd().split('\n').at(-1)!)) return 'a failure without its one-line error';
  return undefined;
}

async function invoke(args: readonly string[]): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ceiling = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hung for ${CEILING_MS / 1000} s: overparam ${args.join(' ')}`)), CEILING_MS)));
  try {
    const { code, stderr } = await Promise.race([cli(...args), ceiling]);
    return { args, code, stderr };
  } finally {
    clearTimeout(timer);
  }
}

async function expectNoProblems(cases: ReadonlyArray<readonly string[]>): Promise<void> {
  const problems: string[] = [];
  for (const args of cases) {
    const outcome = await invoke(args);
    const what = problem(outcome);
    if (what !== undefined) problems.push(`${what}: overparam ${JSON.stringify(args)} → ${outcome.code}: ${outcome.stderr.slice(0, 300)}`);
  }
  expect(problems).toEqual([]);
}

const program = buildProgram({ stdout: { write: () => true }, stderr: { write: () => true } }, () => {});
const commands = commandsOf(program).filter(({ path }) => baseArgs(path) !== undefined);

beforeAll(async () => {
  await writeFile(join(root, 'sweep.json'), JSON.stringify({ name: 'fuzz', base: { arch: 'mlp', archOptions: { depth: 1, width: 2 }, data: 'synthetic', steps: 1, backend: 'cpu' }, grid: {}, seeds: [0] }));
  const made = await cli('train', '--arch', 'mlp', '--depth', '1', '--width', '2', '--data', 'synthetic', '--backend', 'cpu', '--steps', '2', '--out', join(root, 'run'));
  expect(made.code).toBe(0);
});

describe('fuzz: every flag of every command with edge values', () => {
  test('the commands are read from the program', () => {
    expect(commands.map((c) => c.path)).toEqual(expect.arrayContaining(['train', 'measure', 'describe', 'sweep', 'sweep merge', 'report', 'reproduce', 'data inspect']));
  });

  test.each(commands.map(({ path, command }) => [path, command] as const))('%s', async (path, command) => {
    const cases: string[][] = [];
    for (const option of command.options) {
      const flag = option.long;
      if (flag === undefined || flag === '--help' || flag === '--version') continue;
      // A flag without a value is fuzzed once, given; one with a value gets every edge value.
      const values = option.required || option.optional ? EDGE_VALUES : [undefined];
      for (const value of values) cases.push([...path.split(' '), ...baseArgs(path)!, flag, ...(value === undefined ? [] : [value])]);
    }
    await expectNoProblems(cases);
  });
});

describe('fuzz: every run-config key with edge values', () => {
  /** Every leaf of the default config by dotted path (`optimizer.name`, `archOptions.depth`, …). */
  function leaves(value: unknown, prefix = ''): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  const keys = [...leaves(parseRunConfig({})), 'archOptions', 'optimizer', 'nonsense.key'];

  test('through --set and through a --config file', async () => {
    const cases: string[][] = [];
    for (const key of keys) {
      for (const value of EDGE_VALUES) {
        const base = ['train', '--arch', 'mlp', '--depth', '1', '--width', '2', '--data', 'synthetic', '--backend', 'cpu', '--steps', '1'];
        cases.push([...base, '--set', `${key}=${value}`, '--out', fresh()]);
        // The file reads keys the same way as --set; two values per key show the file is named.
        if (value !== '-1' && value !== '{"a":1}') continue;
        const file = join(root, `config-${serial++}.json`);
        let parsed: unknown = value;
        try {
          parsed = JSON.parse(value);
        } catch {
          // Not JSON: the string itself, as a hand-written file would hold it.
        }
        await writeFile(file, JSON.stringify(setAtPath({ arch: 'mlp', archOptions: { depth: 1, width: 2 }, data: 'synthetic', backend: 'cpu', steps: 1 }, key, parsed)));
        cases.push(['train', '--config', file, '--out', fresh()]);
      }
    }
    await expectNoProblems(cases);
  });
});
