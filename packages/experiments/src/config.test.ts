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
      loss: 'softmax-cross-entropy',
      optimizer: { name: 'sgd' },
      lr: 0.05,
      steps: 2000,
      batchSize: 128,
      sampling: 'shuffled-epochs',
      seed: 0,
      backend: 'auto',
      logEvery: 50,
    });
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
    expect(parsed).toEqual({ ...input, dataSeed: 0 });
    expect(parseRunConfig(parsed)).toEqual(parsed);
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
    [{ ...mlp, batchSize: 0 }, 'batchSize', '>=1'],
    [{ ...mlp, sampling: 'sometimes' }, 'sampling', 'expected one of: shuffled-epochs, with-replacement'],
    [{ ...mlp, seed: 0.5 }, 'seed', 'int'],
    [{ ...mlp, logEvery: 0 }, 'logEvery', '>=1'],
    [{ ...mlp, schedule: { kind: 'step', factor: 0.1, milestones: [-1] } }, 'schedule.milestones.0', '>=0'],
    [{ ...mlp, stpes: 10 }, 'stpes', 'not a known field'],
    [{ archOptions: { depth: 1, width: 1 } }, 'arch', 'expected string'],
    [42, 'config', 'expected object'],
  ])('rejects %j naming %s', (input, field, fragment) => {
    const error = fieldOf(input);
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).toContain(fragment);
  });
});
