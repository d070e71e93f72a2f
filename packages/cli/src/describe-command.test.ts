import { architectureNames, buildModel } from '@overparam/architectures';
import { tf } from '@overparam/core';
import { parseRunConfig } from '@overparam/experiments';
import { describe, expect, test } from 'vitest';
import { cli } from './test-cli';


interface Description {
  name: string;
  paramCount: number;
  trainableParamCount: number;
  inputShape: number[];
  parameters: Array<{ path: string; shape: number[]; trainable: boolean }>;
}

describe('overparam describe', () => {
  test('MLP-3-100 on MNIST-sized input: 99,710 parameters (Sankararaman et al. (2020), appendix A.1), shapes in layer order', async () => {
    const { code, stdout } = await cli('describe', '--arch', 'mlp', '--depth', '3', '--width', '100');
    expect(code).toBe(0);
    const d = JSON.parse(stdout) as Description;
    expect(d.name).toBe('MLP-3-100');
    expect(d.paramCount).toBe(99_710);
    expect(d.trainableParamCount).toBe(99_710);
    expect(d.parameters.map((p) => p.shape)).toEqual([[784, 100], [100], [100, 100], [100], [100, 100], [100], [100, 10], [10]]);
  });

  test('agrees with a built model for every registered architecture, leaving no tensor behind', async () => {
    const given: Record<string, string[]> = {
      mlp: ['--depth', '2', '--width', '8', '--input-dim', '5', '--output-dim', '3', '--no-bias'],
      'deep-linear': ['--depth', '3', '--input-dim', '6', '--output-dim', '2', '--hidden-widths', '4,3', '--init', 'balanced', '--scale', 'theorem-6.1'],
      'du-mlp': ['--depth', '2', '--width', '8', '--input-dim', '5'],
      'du-resnet': ['--depth', '3', '--width', '8', '--input-dim', '5', '--c-res', '0.5'],
    };
    for (const arch of architectureNames().filter((a) => given[a] !== undefined)) {
      const before = tf.memory().numTensors;
      const { code, stdout, stderr } = await cli('describe', '--arch', arch, ...given[arch]!);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
      const d = JSON.parse(stdout) as Description & { options: Record<string, unknown> };
      const model = buildModel(arch, d.options, 0);
      expect(d.name).toBe(model.name);
      expect(d.paramCount).toBe(model.paramCount);
      expect(d.trainableParamCount).toBe(model.trainableParamCount);
      expect(d.parameters).toEqual(model.parameters.map((p) => ({ path: p.path, shape: p.shape, size: p.size, trainable: p.trainable })));
      model.dispose();
    }
  });

  test('frozen parameters count in paramCount only', async () => {
    const d = JSON.parse((await cli('describe', '--arch', 'du-mlp', '--depth', '2', '--width', '10', '--input-dim', '4', '--output-dim', '1')).stdout) as Description;
    expect(d.paramCount - d.trainableParamCount).toBe(10);
    expect(d.parameters.at(-1)).toMatchObject({ shape: [10, 1], trainable: false });
  });

  test.each([
    [['--arch', 'nope'], "overparam: --arch: unknown architecture 'nope'"],
    // The range is the schema's, said as train says it (the message said only "an integer").
    [['--arch', 'mlp', '--depth', 'x', '--width', '8'], "overparam: --depth: expected an integer ≥ 1, got 'x'"],
    [['--arch', 'wrn', '--width-factor', '0'], "overparam: --width-factor: expected an integer ≥ 1, got '0'"],
    [['--arch', 'mlp', '--depth', '0', '--width', '8'], 'overparam: --depth: '],
    [['--arch', 'mlp', '--depth', '2', '--width', '8', '--c-res', '1'], 'overparam: --c-res: does not apply to --arch mlp'],
    [['--arch', 'deep-linear', '--depth', '3', '--hidden-widths', '4'], 'overparam: --hidden-widths: a depth-3 net has 2 hidden layers, got 1 widths'],
    [['--arch', 'deep-linear', '--depth', '3', '--init', 'zero'], 'overparam: --init: '],
    // The config's own check, before the file is read: the file need not exist.
    [['--model', 'nowhere/model.json', '--arch', 'mlp'], 'overparam: --model: a config names either arch or model, not both; leave out arch'],
    [['--model', 'nowhere/model.json', '--depth', '3'], 'overparam: --depth: an imported model (model) takes no architecture options; leave them out'],
  ])('%j is a usage error naming the flag', async (argv, message) => {
    const { code, stderr } = await cli('describe', ...argv);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
  });

  test('refuses a net too large to hold from its sizes, drawing no weight (issue 19: WRN-28-1000 allocated 1.4 TB)', async () => {
    const before = tf.memory().numBytes;
    const { code, stdout, stderr } = await cli('describe', '--arch', 'wrn', '--depth', '28', '--width-factor', '1000');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^overparam: --width-factor: WRN-28-1000 has 3\.64e\+11 parameters \(.* GiB as float32\), more than the 4 GiB a run may hold; give a smaller value\n$/);
    expect(tf.memory().numBytes).toBe(before);
  });

  test('uses the defaults train uses: a bare --arch mlp is MLP-3-100', async () => {
    const bare = JSON.parse((await cli('describe', '--arch', 'mlp')).stdout) as { name: string };
    expect(bare.name).toBe('MLP-3-100');
    const narrow = JSON.parse((await cli('describe', '--arch', 'mlp', '--width', '8')).stdout) as { name: string };
    expect(narrow.name).toBe('MLP-3-8');
    // deep-linear without --depth takes the depth --help shows (it failed: "--depth: expected number, received undefined").
    const linear = await cli('describe', '--arch', 'deep-linear');
    expect(linear.stderr).toBe('');
    expect((JSON.parse(linear.stdout) as { options: { depth: number } }).options.depth).toBe(parseRunConfig({ arch: 'deep-linear' }).archOptions.depth);
  });
});
