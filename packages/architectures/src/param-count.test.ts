import { selectBackend, tf } from '@overparam/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParameters, describeArchitecture } from './describe';
import { architectureNames, getArchitecture } from './registry';

/** Option sets beyond each architecture's `tiny`: every switch that changes what is built. */
const variants: Readonly<Record<string, ReadonlyArray<Record<string, unknown>>>> = {
  mlp: [{ bias: false }, { depth: 1 }, { depth: 4, width: 7 }],
  'deep-linear': [{ depth: 1, hiddenWidths: undefined }, { depth: 4, hiddenWidths: undefined, width: 6 }],
  'du-mlp': [{ depth: 1 }, { outputDim: 3 }],
  'du-resnet': [{ depth: 4, width: 5 }],
  wrn: [{ batchNorm: false }, { skip: false }, { depth: 16, widthFactor: 2 }, { inputShape: [64], classes: 4 }],
  cnn: [{ batchNorm: false }, { widthFactor: 3 }],
  'mnist-convnet': [{ inputShape: [7, 9, 2] }, { inputShape: [36] }],
};

describe('parameter counts from the sizes alone', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("equal the count of the parameters the net draws, for every architecture and switch", () => {
    for (const arch of architectureNames()) {
      const entry = getArchitecture(arch);
      expect(entry.paramCount, `${arch} has no paramCount`).toBeDefined();
      for (const change of [{}, ...(variants[arch] ?? [])]) {
        const options = { ...entry.tiny, ...change };
        // The slower reference: draw every parameter and add up their sizes.
        expect(countParameters(arch, options), `${arch} ${JSON.stringify(change)}`).toBe(describeArchitecture(arch, options).paramCount);
      }
    }
  });

  it('allocate nothing, even for a net far too large to hold', () => {
    const before = tf.memory().numBytes;
    expect(countParameters('wrn', { depth: 28, widthFactor: 1000 })).toBeGreaterThan(3e10);
    expect(tf.memory().numBytes).toBe(before);
  });
});
