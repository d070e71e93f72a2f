import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { architectureNames } from '@overparam/architectures';
import { cli, temporaryRoot } from './test-cli';

const root = await temporaryRoot('overparam-cli-');


const tiny = ['--arch', 'mlp', '--depth', '1', '--width', '16', '--data', 'synthetic', '--backend', 'cpu'];

describe('overparam train: bad input', () => {
  test.each([
    [['--arch', 'transformer'], '--arch', `unknown architecture 'transformer'; expected one of: ${architectureNames().join(', ')}`],
    [['--activation', 'foo'], '--activation', "unknown activation 'foo'; expected one of: identity, tanh, relu, sigmoid, softplus"],
    [['--init', 'bogus'], '--init', "unknown initializer 'bogus'; expected one of: glorot-normal, glorot-uniform, lecun-normal, he-normal, strategy-4.1"],
    [['--data', 'cifar'], '--data', "unknown data set 'cifar'; expected one of: mnist, synthetic, mnist-full, fashion-mnist, cifar10, cifar100, csv, gaussian-regression, sphere, lp-regression, synthetic-images"],
    [['--data-option', 'd=3'], '--data-option', "'d' is not an option of data set 'synthetic'"],
    [['--data-option', 'oops'], '--data-option', "expected key=value, got 'oops'"],
    [['--augment', 'wrn'], '--augment', "'wrn' crops and flips images [height, width, channels], but 'synthetic' has examples of shape [784]"],
    [['--backend', 'tpu'], '--backend', "unknown backend 'tpu'; expected one of: auto, node, wasm, cpu"],
    [['--loss', 'hinge'], '--loss', "unknown loss 'hinge'; expected one of: softmax-cross-entropy, square, logistic"],
    [['--optimizer', 'lbfgs'], '--optimizer', "unknown optimizer 'lbfgs'; expected one of: sgd, adam, adagrad, adadelta"],
    [['--sampling', 'sometimes'], '--sampling', 'expected one of: shuffled-epochs, with-replacement'],
    [['--depth', '0'], '--depth', "expected an integer ≥ 1, got '0'"],
    [['--width', '0'], '--width', "expected an integer ≥ 1, got '0'"],
    [['--width', '-3'], '--width', "expected an integer ≥ 1, got '-3'"],
    [['--depth', '2.5'], '--depth', "expected an integer ≥ 1, got '2.5'"],
    [['--steps', 'abc'], '--steps', "expected an integer ≥ 0, got 'abc'"],
    [['--lr', 'x'], '--lr', "expected a number > 0, got 'x'"],
    [['--lr', '0'], '--lr', "expected a number > 0, got '0'"],
    [['--batch-size', ''], '--batch-size', "expected an integer ≥ 1, got ''"],
    [['--seed', '1e400'], '--seed', "expected an integer, got '1e400'"],
    [['--momentum', '1'], '--momentum', "expected a number in [0, 1), got '1'"],
    [['--log-every', '0'], '--log-every', "expected an integer ≥ 1, got '0'"],
    [['--kappa', '4'], '--kappa', "only applies to --init strategy-4.1, not 'glorot-normal'"],
    [['--init', 'strategy-4.1', '--kappa', '-1'], '--kappa', "expected a number > 0, got '-1'"],
    [['--optimizer', 'adam', '--weight-decay', '0.1'], '--weight-decay', "only applies to --optimizer sgd, not 'adam'"],
    // Caught by the config and data checks rather than by flag parsing, and still named by flag.
    [['--batch-size', '5000'], '--batch-size', "5000 exceeds the 2000 training examples of 'synthetic'"],
    [['--loss', 'logistic'], '--loss', "'logistic' needs ±1 targets"],
  ])('%j → exit 2, one line naming %s', async (bad, flag, expected) => {
    const outDir = join(root, `bad-${flag}-${bad.join('_')}`);
    const { code, stdout, stderr } = await cli('train', ...tiny, ...bad, '--out', outDir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.startsWith(`overparam: ${flag}: `)).toBe(true);
    expect(stderr).toContain(expected);
    expect(existsSync(outDir)).toBe(false);
  });

  test.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['--steps'], "option '--steps <n>' argument missing"],
    [['surplus'], 'too many arguments'],
  ])('commander errors %j → exit 2, one line', async (bad, expected) => {
    const { code, stderr } = await cli('train', ...tiny, ...bad);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
  });

  test('an unknown command is a usage error', async () => {
    const { code, stderr } = await cli('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toBe("overparam: unknown command 'frobnicate'\n");
  });
});

describe('overparam train', () => {
  test('trains a small run into its directory and prints the summary as JSON', async () => {
    const outDir = join(root, 'run');
    const { code, stdout, stderr } = await cli('train', ...tiny, '--steps', '30', '--log-every', '3', '--lr', '0.1', '--seed', '3', '--out', outDir);
    expect(stderr).not.toMatch(/unexpected error/);
    expect(code).toBe(0);

    const summary = JSON.parse(stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ outcome: 'completed', steps: 30, modelName: 'MLP-1-16', paramCount: 12_730, backend: 'cpu' });
    expect(Number.isFinite(summary.testAccuracy)).toBe(true);
    expect(JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'))).toEqual(summary);

    const config = JSON.parse(await readFile(join(outDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 30, lr: 0.1, seed: 3, logEvery: 3, backend: 'cpu' });
    const lines = (await readFile(join(outDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);

    // Not a terminal: one progress line per tenth of the run.
    expect(stderr.match(/^overparam: step \d+\/30 /gm)).toHaveLength(10);
    expect(stderr).toContain('overparam: step 30/30 (100%)');
    expect(stderr).toContain(`into ${outDir}`);

    const again = await cli('train', ...tiny, '--steps', '1', '--out', outDir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^overparam: --out: .*already holds a run/);
  });
});

describe('overparam backends', () => {
  const tfjsNodeInstalled = (() => {
    try {
      createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
      return true;
    } catch {
      return false;
    }
  })();

  test('lists every registered backend, one line each, with the reason one is unavailable', async () => {
    const { code, stdout } = await cli('backends');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const byName = new Map(lines.map((l) => [l.split(/\s+/)[0], l]));
    expect(byName.get('cpu')).toMatch(/^cpu\s+available/);
    expect(byName.get('wasm')).toMatch(/^wasm\s+available/);
    if (tfjsNodeInstalled) expect(byName.get('node')).toMatch(/^node\s+available/);
    else expect(byName.get('node')).toMatch(/^node\s+unavailable\s+.*npm install @tensorflow\/tfjs-node/);
  });

  test('--json gives the same as data', async () => {
    const { code, stdout } = await cli('backends', '--json');
    expect(code).toBe(0);
    const statuses = JSON.parse(stdout) as Array<{ name: string; available: boolean; reason?: string; chosenByAuto: boolean }>;
    expect(statuses.map((s) => s.name).sort()).toEqual(['cpu', 'node', 'wasm']);
    expect(statuses.find((s) => s.name === 'wasm')!.available).toBe(true);
    expect(statuses.find((s) => s.name === 'node')!.available).toBe(tfjsNodeInstalled);
    expect(statuses.filter((s) => s.chosenByAuto).map((s) => s.name)).toEqual([tfjsNodeInstalled ? 'node' : 'wasm']);
  });
});

describe('overparam --help', () => {
  const everyFlag = [
    '--arch', '--depth', '--width', '--activation', '--init', '--kappa', '--no-bias', '--data', '--data-seed', '--loss', '--optimizer',
    '--momentum', '--weight-decay', '--lr', '--steps', '--batch-size', '--sampling', '--seed', '--backend', '--log-every', '--out', '--verbose',
  ];

  test('train --help documents every flag with its default and allowed values', async () => {
    const { code, stdout } = await cli('train', '--help');
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const flag of everyFlag) expect(help).toContain(`${flag} `);
    for (const fragment of [
      '(default: mlp)', '(default: 3)', '(default: 100)', '(default: tanh)', '(default: glorot-normal)', '(default: mnist)',
      '(default: softmax-cross-entropy)', '(default: sgd)', '(default: 0.05)', '(default: 2000)', '(default: 128)', '(default: auto)', '(default: 50)',
      'one of: identity, tanh, relu, sigmoid, softplus', 'one of: mnist, synthetic', 'one of: sgd, adam, adagrad, adadelta', 'one of: auto, node, wasm, cpu',
    ]) {
      expect(help).toContain(fragment);
    }
  });

  test('the top-level help lists the commands', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+train\b/m);
    expect(stdout).toMatch(/^\s+backends\b/m);
  });
});
