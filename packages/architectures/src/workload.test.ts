import { ConfigError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { architectureWorkload } from './registry';

describe('architectureWorkload', () => {
  it('says which nets convolve and how wide the dense ones are, from validated options', () => {
    expect(architectureWorkload('mlp', { depth: 3, width: 100, inputDim: 784, outputDim: 10 })).toEqual({ convolutional: false, width: 100 });
    expect(architectureWorkload('du-mlp', { depth: 2, width: 4096, inputDim: 8 })).toEqual({ convolutional: false, width: 4096 });
    // Deep linear nets: the widest hidden layer; by default min(inputDim, outputDim).
    expect(architectureWorkload('deep-linear', { depth: 3, inputDim: 4, outputDim: 2, hiddenWidths: [3, 5] })).toEqual({ convolutional: false, width: 5 });
    expect(architectureWorkload('deep-linear', { depth: 3, inputDim: 20, outputDim: 6 })).toEqual({ convolutional: false, width: 6 });
    for (const arch of ['wrn', 'cnn']) expect(architectureWorkload(arch, { depth: 16, widthFactor: 2, inputShape: [32, 32, 3], classes: 10 })).toEqual({ convolutional: true });
    expect(architectureWorkload('mnist-convnet', { inputShape: [28, 28, 1], classes: 10 })).toEqual({ convolutional: true });
  });

  it('rejects bad options before any backend loads, naming the field', () => {
    const error = (() => {
      try {
        return architectureWorkload('mlp', { depth: 3, width: 0, inputDim: 784, outputDim: 10 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('width');
  });
});
