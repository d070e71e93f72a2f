import { ConfigError } from '@overparam/core';
import { describe, expect, test } from 'vitest';
import { parseRunConfig } from './config';

const mlp = { arch: 'mlp', archOptions: { depth: 3, width: 100 } };

function fieldOf(input: unknown): { field: string; message: string } {
  try {
    parseRunConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return { field: (e as ConfigError).field, message: (e as ConfigError).message };
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseRunConfig', () => {
  test('fills every default, the architecture options included', () => {
    expect(parseRunConfig(mlp)).toEqual({
      arch: 'mlp',
      archOptions: { depth: 3, width: 100, activation: 'tanh', init: 'glorot-normal', bias: true },
      data: 'mnist',
      dataSeed: 0,
      dataOptions: {},
      augment: 'none',
      loss: 'softmax-cross-entropy',
      optimizer: { name: 'sgd' },
      lr: 0.05,
      steps: 2000,
      batchSize: 128,
      sampling: 'shuffled-epochs',
      seed: 0,
      backend: 'auto',
      logEvery: 50,
      metrics: [],
      divergenceFactor: 1000,
      checkpointEverySeconds: 60,
    });
  });

  test("the default loss follows the data set's task; a loss that is given is kept", () => {
    expect(parseRunConfig({ data: 'synthetic' }).loss).toBe('softmax-cross-entropy');
    expect(parseRunConfig({ data: 'sphere' }).loss).toBe('square');
    expect(parseRunConfig({ data: 'gaussian-regression' }).loss).toBe('square');
    expect(parseRunConfig({ data: 'sphere', loss: 'lp', p: 4 }).loss).toBe('lp');
    expect(parseRunConfig({ data: 'synthetic', loss: 'square' }).loss).toBe('square');
    // Resolved once: parsing the parsed config again changes nothing.
    const parsed = parseRunConfig({ data: 'lp-regression' });
    expect(parseRunConfig(parsed)).toEqual(parsed);
  });

  test('a config that names no network gets the papers\' MLP-3-100', () => {
    expect(parseRunConfig({})).toMatchObject({ arch: 'mlp', archOptions: { depth: 3, width: 100 } });
    expect(parseRunConfig({ archOptions: { width: 16 } }).archOptions).toMatchObject({ depth: 3, width: 16 });
    // The MLP sizes are that network's: another architecture gets only its own schema's defaults.
    expect(parseRunConfig({ arch: 'deep-linear', archOptions: { depth: 2 } }).archOptions).not.toHaveProperty('width');
  });

  test('keeps what is given and is idempotent', () => {
    const input = {
      ...mlp,
      archOptions: { depth: 1, width: 16, activation: 'relu', init: { name: 'strategy-4.1', kappa: 4 }, bias: false },
      data: 'synthetic',
      loss: 'square',
      optimizer: { name: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
      lr: 0.1,
      schedule: { kind: 'step', factor: 0.1, milestones: [80, 160], unit: 'epoch' },
      steps: 10,
      batchSize: 32,
      sampling: 'with-replacement',
      seed: 7,
      backend: 'cpu',
      logEvery: 5,
    };
    const parsed = parseRunConfig(input);
    expect(parsed).toEqual({ ...input, dataSeed: 0, dataOptions: {}, augment: 'none', metrics: [], divergenceFactor: 1000, checkpointEverySeconds: 60 });
    expect(parseRunConfig(parsed)).toEqual(parsed);
  });

  test('checks the metrics list and fills its defaults', () => {
    const parsed = parseRunConfig({ ...mlp, metrics: [{ name: 'confusion', every: 500, pairs: 100 }, { name: 'spectrum', every: 1000, n: 256 }] });
    expect(parsed.metrics).toEqual([
      { name: 'confusion', every: 500, pairs: 100, batchSize: 128, start: false, end: true },
      { name: 'spectrum', every: 1000, n: 256, of: 'output', layers: false, eigenvalues: false, seed: 0, start: false, end: true },
    ]);
    expect(parseRunConfig(parsed)).toEqual(parsed);
    expect(fieldOf({ ...mlp, metrics: [{ name: 'spectrum', every: 0 }] }).field).toBe('metrics.0.every');
    expect(fieldOf({ ...mlp, metrics: [{ name: 'entropy' }] }).field).toBe('metrics.0.name');
  });

  test("checks the data set's options against its schema and fills their defaults", () => {
    const parsed = parseRunConfig({ ...mlp, data: 'gaussian-regression', dataOptions: { d: 120 }, dataDir: 'somewhere' });
    expect(parsed.dataOptions).toEqual({ n: 100, d: 120, noise: 0 });
    expect(parsed.dataDir).toBe('somewhere');
    expect(fieldOf({ ...mlp, data: 'sphere', dataOptions: { teacher: 'relu' } }).field).toBe('dataOptions.teacher');
    expect(fieldOf({ ...mlp, dataOptions: { d: 3 } }).field).toBe('dataOptions.d');
    expect(fieldOf({ ...mlp, augment: 'mixup' }).field).toBe('augment');
  });

  test.each([
    [{ ...mlp, arch: 'transformer' }, 'arch', "unknown architecture 'transformer'; expected one of: mlp"],
    [{ ...mlp, archOptions: { depth: 0, width: 10 } }, 'archOptions.depth', '>=1'],
    [{ ...mlp, archOptions: { depth: 2, width: 0.5 } }, 'archOptions.width', 'int'],
    [{ ...mlp, archOptions: { depth: 2, width: 10, activation: 'foo' } }, 'archOptions.activation', 'tanh'],
    [{ ...mlp, archOptions: { depth: 2, width: 10, init: 'bogus' } }, 'archOptions.init', 'glorot-normal'],
    [{ ...mlp, archOptions: { depth: 2, width: 10, colour: 'red' } }, 'archOptions.colour', 'not a known field'],
    [{ ...mlp, archOptions: { depth: 2, width: 10, inputDim: 5 } }, 'archOptions.inputDim', 'taken from the data set'],
    [{ ...mlp, data: 'imagenet' }, 'data', "unknown data set 'imagenet'; expected one of: mnist, synthetic"],
    [{ ...mlp, loss: 'hinge' }, 'loss', "unknown loss 'hinge'; expected one of: softmax-cross-entropy, square, logistic"],
    [{ ...mlp, optimizer: { name: 'lbfgs' } }, 'optimizer.name', "unknown optimizer 'lbfgs'; expected one of: sgd, adam, adagrad, adadelta"],
    [{ ...mlp, optimizer: { name: 'sgd', momentum: 1 } }, 'optimizer.momentum', '<1'],
    [{ ...mlp, optimizer: { name: 'adam', momentum: 0.9 } }, 'optimizer.momentum', 'not a known field'],
    [{ ...mlp, lr: 0 }, 'lr', '>0'],
    [{ ...mlp, lr: 'x' }, 'lr', 'expected number'],
    [{ ...mlp, steps: -1 }, 'steps', '>=0'],
    [{ ...mlp, steps: 2.5 }, 'steps', 'int'],
    [{ ...mlp, batchSize: 0 }, 'batchSize', "expected a positive integer or 'full'"],
    [{ ...mlp, batchSize: 'half' }, 'batchSize', "expected a positive integer or 'full'"],
    [{ ...mlp, sampling: 'sometimes' }, 'sampling', 'expected one of: shuffled-epochs, with-replacement'],
    [{ ...mlp, seed: 0.5 }, 'seed', 'int'],
    [{ ...mlp, logEvery: 0 }, 'logEvery', '>=1'],
    [{ ...mlp, schedule: { kind: 'step', factor: 0.1, milestones: [-1] } }, 'schedule.milestones.0', '>=0'],
    [{ ...mlp, stpes: 10 }, 'stpes', 'not a known field'],
    [{ arch: 7 }, 'arch', 'expected string'],
    [42, 'config', 'expected object'],
  ])('rejects %j naming %s', (input, field, fragment) => {
    const error = fieldOf(input);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toContain(fragment);
  });
});
