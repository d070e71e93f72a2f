import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { architectureNames } from '@overparam/architectures';
import { installHint } from '@overparam/backend-node';
import { nodeBackendPlugins } from './register-backends';
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
    [['--batch-size', ''], '--batch-size', "expected an integer ≥ 1 or 'full', got ''"],
    [['--seed', '1e400'], '--seed', "expected an integer, got '1e400'"],
    [['--momentum', '1'], '--momentum', "expected a number in [0, 1), got '1'"],
    [['--log-every', '0'], '--log-every', "expected an integer ≥ 1, got '0'"],
    // κ is checked by the run config now (a config file gets the same check), which names the init, not a flag.
    [['--kappa', '4'], '--kappa', "only applies to init 'strategy-4.1', not 'glorot-normal'"],
    // deep-linear's default init is near-zero; the message named mlp's glorot-normal.
    [['--arch', 'deep-linear', '--kappa', '2'], '--kappa', "only applies to init 'strategy-4.1', not 'near-zero'"],
    [['--data-option', 'n=1,oops'], '--data-option', "expected key=value, got 'oops'; e.g. n=120,d=4"],
    [['--init', 'strategy-4.1', '--kappa', '-1'], '--kappa', "expected a number > 0, got '-1'"],
    [['--optimizer', 'adam', '--weight-decay', '0.1'], '--weight-decay', "only applies to --optimizer sgd or end-to-end, not 'adam'"],
    // Caught by the config and data checks rather than by flag parsing, and still named by flag.
    [['--batch-size', '5000'], '--batch-size', "5000 exceeds the 2000 training examples of 'synthetic'"],
    [['--full-batch', '--batch-size', '8'], '--full-batch', 'give either --full-batch or --batch-size, not both'],
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

  const shippedNames = nodeBackendPlugins.map((p) => p.name).sort();

  test('lists every registered backend, one line each, with the reason one is unavailable', async () => {
    const { code, stdout } = await cli('backends');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    // One line per shipped plugin, named from the one list of them (a plugin added there is expected here too).
    expect(lines.map((l) => l.split(/\s+/)[0]).sort()).toEqual(shippedNames);
    const byName = new Map(lines.map((l) => [l.split(/\s+/)[0], l]));
    expect(byName.get('cpu')).toMatch(/^cpu\s+available/);
    expect(byName.get('wasm')).toMatch(/^wasm\s+available/);
    if (tfjsNodeInstalled) expect(byName.get('node')).toMatch(/^node\s+available/);
    // The hint is the one the node plugin prints, not retyped: a reworded hint cannot leave this test behind.
    else {
      expect(byName.get('node')).toMatch(/^node\s+unavailable\s/);
      expect(byName.get('node')!.endsWith(installHint)).toBe(true);
    }
  });

  test('--json gives the same as data', async () => {
    const { code, stdout } = await cli('backends', '--json');
    expect(code).toBe(0);
    const statuses = JSON.parse(stdout) as Array<{ name: string; available: boolean; reason?: string; chosenByAuto: boolean }>;
    expect(statuses.map((s) => s.name).sort()).toEqual(shippedNames);
    expect(statuses.find((s) => s.name === 'wasm')!.available).toBe(true);
    expect(statuses.find((s) => s.name === 'node')!.available).toBe(tfjsNodeInstalled);
    expect(statuses.filter((s) => s.chosenByAuto).map((s) => s.name)).toEqual([tfjsNodeInstalled ? 'node' : 'wasm']);
  });
});

describe('overparam --help', () => {
  const everyFlag = [
    '--arch', '--depth', '--width', '--activation', '--init', '--kappa', '--no-bias', '--data', '--data-seed', '--loss', '--optimizer',
    '--momentum', '--weight-decay', '--lr', '--steps', '--batch-size', '--full-batch', '--sampling', '--seed', '--backend', '--log-every', '--out', '--verbose',
  ];

  test('train --help documents every flag with its default and allowed values', async () => {
    const { code, stdout } = await cli('train', '--help');
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const flag of everyFlag) expect(help).toContain(`${flag} `);
    for (const fragment of [
      '(default: mlp)', '(default: 3; wrn, cnn: 10)', '(default: 100)',
      // Each architecture's own default: du-mlp's activation is softplus, deep-linear's init near-zero (the help said tanh and glorot-normal for all).
      '(default: tanh; du-mlp, du-resnet: softplus)', '(default: glorot-normal; deep-linear: near-zero)', '(default: mnist)',
      "(default: by the data set's task: softmax-cross-entropy for classification, square for regression)", '(default: sgd)', '(default: 0.05)', '(default: 2000)', '(default: 128)', '(default: auto)', '(default: 50)',
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

describe('overparam train: configs, overrides, resume, outcomes', () => {
  const tiny2 = ['--arch', 'mlp', '--depth', '1', '--width', '8', '--data', 'synthetic', '--backend', 'cpu', '--steps', '6', '--log-every', '2'];

  test("--config replays a run from its config.json; --set overrides any key by dotted path", async () => {
    const first = join(root, 'replay-a');
    expect((await cli('train', ...tiny2, '--out', first)).code).toBe(0);
    const replay = join(root, 'replay-b');
    const r = await cli('train', '--config', join(first, 'config.json'), '--out', replay);
    expect(r.code).toBe(0);
    expect(await readFile(join(replay, 'config.json'), 'utf8')).toBe(await readFile(join(first, 'config.json'), 'utf8'));
    const strip = (text: string) => text.replace(/"seconds":[-0-9.e+]+/g, '');
    expect(strip(await readFile(join(replay, 'metrics.jsonl'), 'utf8'))).toBe(strip(await readFile(join(first, 'metrics.jsonl'), 'utf8')));
    const changed = join(root, 'replay-c');
    const c = await cli('train', '--config', join(first, 'config.json'), '--lr', '0.2', '--set', 'optimizer.momentum=0.5', '--set', 'archOptions.activation=relu', '--out', changed);
    expect(c.code).toBe(0);
    expect(JSON.parse(await readFile(join(changed, 'config.json'), 'utf8'))).toMatchObject({ lr: 0.2, optimizer: { name: 'sgd', momentum: 0.5 }, archOptions: { depth: 1, width: 8, activation: 'relu' } });
  });

  test.each([
    [['--config', '/nonexistent.json'], /^overparam: --config: cannot read \/nonexistent.json/],
    [['--set', 'lr'], /^overparam: --set: expected key=value/],
    [['--set', 'archOptions.depth=0'], /^overparam: --depth: .*>=1/],
    [['--resume', '/nonexistent-run'], /^overparam: --resume: \/nonexistent-run holds no run/],
    [['--resume', '/tmp', '--lr', '0.1'], /^overparam: --resume: continues a run with its own config; leave out --lr/],
    [['--divergence-factor', '1'], /^overparam: --divergence-factor: expected a number > 1/],
    [['--out', '/proc/overparam-x'], /^overparam: cannot create the directory \/proc\/overparam-x/],
  ])('%j is one line naming the problem', async (argv, message) => {
    const r = await cli('train', ...(argv.includes('--resume') ? [] : tiny2), ...argv);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  test('a diverged run exits 3 and says why; resuming an ended run changes nothing', async () => {
    const out = join(root, 'diverging');
    const r = await cli('train', ...tiny2, '--activation', 'identity', '--loss', 'square', '--lr', '1e6', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/diverged at step \d+: (loss .* exceeds 1000 × the initial loss|non-finite loss)/);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'diverged', finalTrainLoss: null });
    const again = await cli('train', '--resume', out);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/this run had already ended: diverged/);
  });
});

describe('overparam sweep', () => {
  test('--help shows a sweep file that works', async () => {
    const help = await cli('sweep', '--help');
    const example = JSON.parse(/Example: (\{.*\})/.exec(help.stdout)![1]!) as Record<string, unknown>;
    const file = join(root, 'example.json');
    await writeFile(file, JSON.stringify({ ...example, base: { ...(example.base as object), steps: 2, backend: 'cpu' } }));
    const r = await cli('sweep', file, '--out', join(root, 'example-sweep'));
    expect(r.stderr).not.toMatch(/failed [0-9a-f]{12}/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cells: 8, outcomes: { completed: 8 } });
  });

  test.each([
    [['sweep'], /^overparam: name a sweep file/],
    [['sweep', '/nonexistent.json', '--out', '/tmp/x'], /^overparam: cannot read the sweep file/],
    [['sweep', 'SWEEP', '--out', '/tmp/x', '--jobs', '0'], /^overparam: --jobs: expected an integer ≥ 1/],
    [['sweep', 'SWEEP', '--out', '/tmp/x', '--replicas', 'some'], /^overparam: --replicas: expected 'auto' or an integer ≥ 1, got 'some'/],
    [['sweep', 'SWEEP', '--out', '/tmp/x', '--shard', '3/3'], /^overparam: --shard: expected i\/n with 0 ≤ i < n/],
    [['sweep', 'SWEEP', '--out', '/tmp/x', '--emit', 'pbs'], /^overparam: --emit: expected slurm or k8s/],
    // The schema's message names the field; the file is named before it.
    [['sweep', 'BAD', '--out', '/tmp/x'], /^overparam: \/\S+\/bad\.json: sweep grid\.lr: /],
    [['sweep', 'merge', '--out', '/tmp/x', '/nonexistent'], /^overparam: \/nonexistent is not a sweep directory/],
  ])('%j is one line naming the problem', async (argv, message) => {
    const good = join(root, 'good.json');
    const bad = join(root, 'bad.json');
    await writeFile(good, JSON.stringify({ name: 'g', base: { data: 'synthetic', steps: 1, backend: 'cpu' }, grid: { lr: [0.1] } }));
    await writeFile(bad, JSON.stringify({ name: 'b', base: {}, grid: { lr: 0.1 } }));
    const r = await cli(...argv.map((a) => (a === 'SWEEP' ? good : a === 'BAD' ? bad : a)));
    expect(r.code).not.toBe(0);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('overparam train: Arora et al. (2018) pieces', () => {
  test('--loss lp --p 4 and --optimizer end-to-end --virtual-depth 3 train and name themselves truthfully', async () => {
    const out = join(root, 'lp-e2e');
    const r = await cli('train', '--arch', 'deep-linear', '--depth', '1', '--data', 'lp-regression', '--loss', 'lp', '--p', '4', '--optimizer', 'end-to-end', '--virtual-depth', '3', '--lr', '0.001', '--steps', '4', '--batch-size', '32', '--backend', 'cpu', '--out', out);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'completed', loss: 'lp(p=4)' });
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toMatchObject({ loss: 'lp', p: 4, optimizer: { name: 'end-to-end', virtualDepth: 3 } });
  });

  test.each([
    [['--loss', 'lp'], /^overparam: --p: the lp loss needs its exponent p/],
    [['--loss', 'lp', '--p', '3'], /^overparam: --p: /],
    [['--loss', 'square', '--p', '4'], /^overparam: --p: only applies to the lp loss/],
    [['--virtual-depth', '2'], /^overparam: --virtual-depth: only applies to --optimizer end-to-end/],
    // Errors an architecture's schema or builder finds name the flag, not the config path (archOptions.widthFactor).
    [['--arch', 'wrn', '--depth', '11'], /^overparam: --depth: must be 6n \+ 4/],
    [['--arch', 'wrn', '--width-factor', '0'], /^overparam: --width-factor: expected an integer ≥ 1, got '0'/],
    [['--arch', 'wrn', '--set', 'archOptions.widthFactor=0'], /^overparam: --width-factor: .*>=1/],
  ])('%j is one line naming the flag', async (argv, message) => {
    const r = await cli('train', '--data', 'synthetic', '--backend', 'cpu', '--steps', '1', ...argv, '--out', join(root, 'never'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

test('train --report keeps an HTML report of the run', async () => {
  const out = join(root, 'reported');
  const reportDir = join(root, 'reported-report');
  const r = await cli('train', '--arch', 'mlp', '--depth', '1', '--width', '8', '--data', 'synthetic', '--backend', 'cpu', '--steps', '20', '--log-every', '5', '--out', out, '--report', reportDir);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`report written to ${join(reportDir, 'index.html')}`);
  const html = await readFile(join(reportDir, 'index.html'), 'utf8');
  expect(html).toContain('<svg');
  // The final page is not the live one: it no longer reloads itself.
  expect(html).not.toContain('http-equiv="refresh"');
});

describe('issue 19: no hang, no unexpected error, the right words and exit codes', () => {
  const tinyRun = ['train', ...tiny, '--steps', '1'];

  test.each([
    [['--out', ''], /^overparam: --out: is empty; name a directory\n$/],
    [['--depth', '1000000'], /^overparam: --depth: at most 10000 layers are built/],
    // Refused from the sizes before a weight is drawn (it was the allocator's RangeError, "too large to allocate").
    [['--width', '1000000000'], /^overparam: --width: MLP-1-1000000000 has \d\.\d\de\+11 parameters \(.* GiB as float32\), more than the 4 GiB a run may hold; give a smaller value\n$/],
    [['--report', '/proc/overparam-x', '--out', 'OUT'], /^overparam: cannot create the directory \/proc\/overparam-x: /],
  ])('train %j → one line, exit 2 or 1, nothing trained', async (extra, message) => {
    const out = join(root, `issue19-${extra.join('_').replace(/\W/g, '')}`);
    const r = await cli(...tinyRun, ...extra.map((a) => (a === 'OUT' ? out : a)));
    expect([1, 2]).toContain(r.code);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  test('--batch-size full is the full batch; an architecture without its sizes given takes the defaults --help shows', async () => {
    const full = await cli(...tinyRun, '--batch-size', 'full', '--out', join(root, 'issue19-full'));
    expect(full.code).toBe(0);
    expect(JSON.parse(await readFile(join(root, 'issue19-full', 'config.json'), 'utf8')).batchSize).toBe('full');
    const du = await cli('train', '--arch', 'du-mlp', '--data', 'gaussian-regression', '--batch-size', '10', '--steps', '1', '--backend', 'cpu', '--out', join(root, 'issue19-du'));
    expect(du.code).toBe(0);
    expect(du.stderr).toMatch(/-3-100 /);
  });

  test('a bad key of a --config file, or of a resumed run\'s config.json, names the file', async () => {
    const file = join(root, 'issue19-config.json');
    await writeFile(file, JSON.stringify({ arch: 'mlp', bogus: 1 }));
    const fromFile = await cli('train', '--config', file, '--out', join(root, 'issue19-cf'));
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toBe(`overparam: --config: ${file}: bogus: is not a known field\n`);
    const run = join(root, 'issue19-resume');
    expect((await cli(...tinyRun, '--out', run)).code).toBe(0);
    const config = JSON.parse(await readFile(join(run, 'config.json'), 'utf8'));
    await writeFile(join(run, 'config.json'), JSON.stringify({ ...config, lr: 'fast' }));
    const resumed = await cli('train', '--resume', run);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(new RegExp(`^overparam: --resume: ${join(run, 'config.json')}: lr: `));
  });

  test('report into a folder that cannot exist ends at once with one line', async () => {
    const run = join(root, 'issue19-report-run');
    expect((await cli(...tinyRun, '--out', run)).code).toBe(0);
    for (const out of ['/proc/overparam-x', '/proc/overparam-x.html']) {
      const r = await cli('report', run, '--out', out);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^overparam: cannot (create the directory|write in) \/proc/);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  test('sweep usage errors exit 2 without internal codes', async () => {
    for (const argv of [['sweep', 'nope.json', '--out', join(root, 'x')], ['sweep', 'nope.json', '--out', join(root, 'x'), '--shard', '3/2']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/^overparam: [A-Z_]+:/);
    }
  });
});
