import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors';
import { createRng } from '../rng';
import { tf } from '../tf';
import { batchNorm } from './batch-norm';
import { conv2d } from './conv2d';
import { createModel } from './model';
import { serial } from './serial';
import type { TapEvent } from './types';

function taps(model: ReturnType<typeof createModel>, x: tf.Tensor, training: boolean): Array<Omit<TapEvent, 'input' | 'output' | 'params'> & { inputShape: number[]; input: Float32Array }> {
  const events: Array<Omit<TapEvent, 'input' | 'output' | 'params'> & { inputShape: number[]; input: Float32Array }> = [];
  tf.tidy(() => {
    model.apply(x, {
      training,
      recorder: {
        tap(e) {
          events.push({ path: e.path, kind: e.kind, paramPaths: e.paramPaths, config: e.config, inputShape: [...e.input.shape], input: e.input.dataSync() as Float32Array });
          return e.output;
        },
      },
    });
  });
  return events;
}

describe('conv2d and batchNorm taps', () => {
  it('report kind, parameter paths, the conv geometry and the normalized batch-norm input', () => {
    const model = createModel(serial(conv2d({ filters: 3, kernelSize: 3, stride: 2 }), batchNorm({ momentum: 0.7 })), { inputShape: [5, 5, 2], seed: 0 });
    const x = tf.randomNormal([4, 5, 5, 2], 0, 1, 'float32', 1);
    const [conv, bn] = taps(model, x, true);
    expect(conv).toMatchObject({ path: '0', kind: 'conv2d', paramPaths: { w: '0.w', b: '0.b' }, config: { kernelSize: 3, stride: 2, padding: 'same', bias: true }, inputShape: [4, 5, 5, 2] });
    expect(bn).toMatchObject({ path: '1', kind: 'batchNorm', paramPaths: { gamma: '1.gamma', beta: '1.beta' }, config: { momentum: 0.7, epsilon: 1e-5, training: true, input: 'normalized' } });
    // In training mode x̂ has zero mean and unit (biased) variance per channel.
    const values = bn!.input;
    for (let c = 0; c < 3; c++) {
      const v = Array.from(values).filter((_, i) => i % 3 === c);
      const mean = v.reduce((s, a) => s + a, 0) / v.length;
      const variance = v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-3); // ε = 1e-5 against a variance of O(1)
    }
    x.dispose();
    model.dispose();
  });

  it('start He normal: the kernel variance is 2/(k·k·inC)', () => {
    const init = conv2d({ filters: 64, kernelSize: 3, bias: false }).init(createRng(3), [8, 8, 32]);
    const w = init.params.w as tf.Tensor;
    expect(w.shape).toEqual([3, 3, 32, 64]);
    const v = w.dataSync() as Float32Array;
    const variance = v.reduce((s, a) => s + a * a, 0) / v.length;
    // 18,432 draws: relative standard error of the variance √(2/n) ≈ 1%; allow 5%.
    expect(Math.abs(variance / (2 / (9 * 32)) - 1)).toBeLessThan(0.05);
    expect(init.params.b).toBeUndefined();
    w.dispose();
  });

  it('reject bad options and shapes with typed errors', () => {
    expect(() => conv2d({ filters: 0, kernelSize: 3 })).toThrow(ShapeError);
    expect(() => conv2d({ filters: 2, kernelSize: 3, stride: 1.5 })).toThrow(ShapeError);
    expect(() => conv2d({ filters: 2, kernelSize: 3 }).init(createRng(0), [16])).toThrow(/height, width, channels/);
    expect(() => conv2d({ filters: 2, kernelSize: 5, padding: 'valid' }).init(createRng(0), [3, 3, 1])).toThrow(/does not fit/);
    expect(() => batchNorm({ momentum: 1.5 })).toThrow(ConfigError);
    expect(() => batchNorm({ epsilon: 0 })).toThrow(ConfigError);
  });
});
