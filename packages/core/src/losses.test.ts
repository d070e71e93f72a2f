import { describe, expect, it } from 'vitest';
import { ConfigError, UnknownNameError } from './errors';
import { computeLoss, lossLabel, lossSpec, lpLoss, resolveLoss } from './losses';
import { tf } from './tf';

describe('lp loss', () => {
  it('is (1/p)Σ_k (ŷ − y)^p per example and its mean, against a float64 loop', () => {
    const g = [
      [0.5, -1.25, 2],
      [-0.75, 0.1, 1.5],
    ];
    const y = [
      [1, 0.5, -0.5],
      [0.25, -0.2, 1],
    ];
    for (const p of [2, 4, 6]) {
      const expected = g.map((row, i) => row.reduce((s, v, k) => s + (v - y[i]![k]!) ** p, 0) / p);
      const per = computeLoss({ name: 'lp', p }, tf.tensor2d(g), tf.tensor2d(y), 'none');
      // float32 powers of numbers up to 2.5: relative rounding ~p·6e-8, far below 1e-5.
      Array.from(per.dataSync()).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5 * Math.max(1, expected[i]!)));
      const mean = computeLoss({ name: 'lp', p }, tf.tensor2d(g), tf.tensor2d(y)).dataSync()[0]!;
      expect(Math.abs(mean - (expected[0]! + expected[1]!) / 2)).toBeLessThan(1e-5 * Math.max(1, mean));
    }
  });

  it('lp with p = 2 is the square loss', () => {
    const g = tf.tensor2d([[0.3, -1.2]]);
    const y = tf.tensor2d([[1, 0.4]]);
    expect(computeLoss('l2', g, y).dataSync()[0]).toBeCloseTo(computeLoss('square', g, y).dataSync()[0]!, 6);
  });

  it('refuses odd, fractional and missing exponents with a ConfigError naming p', () => {
    for (const p of [3, 1, 0, 2.5, -2, Number.NaN]) expect(() => lpLoss(p)).toThrow(ConfigError);
    expect(() => resolveLoss('lp')).toThrow(/needs its exponent/);
    expect(() => lossSpec('lp')).toThrow(ConfigError);
    expect(() => lossSpec('square', 4)).toThrow(/only applies to the lp loss/);
    expect(() => lossSpec('l5')).toThrow(UnknownNameError);
    try {
      lossSpec('lp', 3);
    } catch (e) {
      expect((e as ConfigError).field).toBe('p');
    }
  });

  it('names itself truthfully, aliases included', () => {
    expect(lossLabel({ name: 'lp', p: 4 })).toBe('lp(p=4)');
    expect(lossLabel('l4')).toBe('lp(p=4)');
    expect(lossLabel('l2')).toBe('lp(p=2)');
    expect(lossLabel('square')).toBe('square');
    expect(lossSpec('lp', 4)).toEqual({ name: 'lp', p: 4 });
    expect(lossSpec('l4')).toBe('l4');
    expect(resolveLoss('l4').p).toBe(4);
    expect(resolveLoss({ name: 'square' } as never).name).toBe('square');
    expect(() => resolveLoss({ name: 'square', p: 4 } as never)).toThrow(/only the lp loss/);
  });
});
