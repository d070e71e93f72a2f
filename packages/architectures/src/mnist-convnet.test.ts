import { tf } from '@overparam/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Model } from '@overparam/core';
import { overparameterize } from './overparameterize';
import { optionsFromData } from './architecture-entry';
import { buildModel, getArchitecture } from './registry';

const models: Model[] = [];
const keep = (m: Model): Model => (models.push(m), m);
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

/** The tutorial's count: 5·5·1·32 + 32, 5·5·32·64 + 64, 3136·512 + 512, 512·10 + 10. */
const TUTORIAL_PARAMS = 5 * 5 * 1 * 32 + 32 + (5 * 5 * 32 * 64 + 64) + (7 * 7 * 64 * 512 + 512) + (512 * 10 + 10);

describe('mnist-convnet (TensorFlow MNIST tutorial, Arora et al. (2018), §8)', () => {
  it('has the tutorial’s layers and 1,663,370 parameters, on images and on flat MNIST vectors', () => {
    expect(TUTORIAL_PARAMS).toBe(1_663_370);
    for (const inputShape of [[28, 28, 1], [784]]) {
      const model = keep(buildModel('mnist-convnet', optionsFromData(getArchitecture('mnist-convnet'), { inputShape, outputDim: 10 }), 0));
      expect(model.paramCount).toBe(TUTORIAL_PARAMS);
      expect(model.parameters.map((p) => p.shape)).toEqual([
        [5, 5, 1, 32],
        [32],
        [5, 5, 32, 64],
        [64],
        [3136, 512],
        [512],
        [512, 10],
        [10],
      ]);
      expect(model.name).toBe('TF-MNIST-CNN-32-64-512');
      const y = tf.tidy(() => model.apply(tf.zeros([2, ...inputShape])).shape);
      expect(y).toEqual([2, 10]);
    }
  });

  it('initializes weights from a normal truncated at 2σ, σ = 0.1, and biases as the tutorial (0, then 0.1)', () => {
    const model = keep(buildModel('mnist-convnet', {}, 1));
    const w = model.parameters.find((p) => p.path.endsWith('w') && p.shape[0] === 3136)!.variable.dataSync();
    let sq = 0;
    let max = 0;
    for (const v of w) {
      sq += v * v;
      max = Math.max(max, Math.abs(v));
    }
    // A N(0, 0.01) truncated at ±0.2 has std 0.1·0.8796 = 0.08796; over 1.6M draws the sample std is within 1e-3 of it.
    expect(Math.abs(Math.sqrt(sq / w.length) - 0.08796)).toBeLessThan(1e-3);
    expect(max).toBeLessThanOrEqual(0.2 + 1e-7);
    const biases = model.parameters.filter((p) => p.shape.length === 1).map((p) => Array.from(new Set(p.variable.dataSync())));
    expect(biases).toEqual([[0], [expect.closeTo(0.1, 7)], [expect.closeTo(0.1, 7)], [expect.closeTo(0.1, 7)]]);
  });

  it('overparameterizes as appendix C.2: 3136×512·512×512 and 512×10·10×10, ~262K more parameters, same init', () => {
    const model = keep(buildModel('mnist-convnet', {}, 0));
    const op = keep(overparameterize(model, { factors: 2, factorInit: 'paper', seed: 0 }));
    expect(op.paramCount - model.paramCount).toBe(512 * 512 + 10 * 10);
    expect(op.parameters.filter((p) => p.shape.length === 2).map((p) => p.shape)).toEqual([
      [3136, 512],
      [512, 512],
      [512, 10],
      [10, 10],
    ]);
    // The new factors are drawn like their predecessors: truncated normal with σ = 0.1 (std 0.088 after truncation).
    const square = op.parameters.find((p) => p.shape[0] === 512 && p.shape[1] === 512)!.variable.dataSync();
    const std = Math.sqrt(Array.from(square).reduce((s, v) => s + v * v, 0) / square.length);
    expect(Math.abs(std - 0.08796)).toBeLessThan(2e-3);
    // Convolutions are untouched.
    expect(op.parameters.filter((p) => p.shape.length === 4).map((p) => p.shape)).toEqual([
      [5, 5, 1, 32],
      [5, 5, 32, 64],
    ]);
  });

  it('refuses inputs that are not images, naming the field', () => {
    expect(() => buildModel('mnist-convnet', { inputShape: [10] })).toThrow(/inputShape/);
  });
});
