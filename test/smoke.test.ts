import { buildModel } from '@overparam/architectures';
import { activeBackendName, tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

describe(`smoke on ${testBackend}`, () => {
  it('runs the selected backend and counts MLP-3-100 parameters', () => {
    expect(activeBackendName()).toBe(testBackend);
    const model = buildModel('mlp', { depth: 3, width: 100, inputDim: 784, outputDim: 10 });
    expect(model.paramCount).toBe(99_710);
    expect(model.name).toBe('MLP-3-100');
    const y = tf.tidy(() => model.apply(tf.zeros([2, 784])));
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    model.dispose();
  });
});
