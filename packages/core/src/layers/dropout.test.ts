import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { tf } from '../tf';
import { dropout } from './dropout';

const rngOf = (seed: number) => ({ seed: () => seed });

describe('dropout', () => {
  const x = () => tf.ones([200, 50]);

  it('is the identity at rate 0 (the default) and in evaluation mode', () => {
    const input = x();
    expect(dropout().apply({}, input, { training: true, path: '', state: {} })).toBe(input);
    expect(dropout(0.5).apply({}, input, { training: false, path: '', state: {} })).toBe(input);
    input.dispose();
  });

  it('keeps a 1 − rate fraction, scaled by 1/(1 − rate), the same mask for the same seed', () => {
    const input = x();
    const layer = dropout(0.3);
    const a = tf.tidy(() => layer.apply({}, input, { training: true, path: '', state: {}, rng: rngOf(9) }).dataSync());
    const b = tf.tidy(() => layer.apply({}, input, { training: true, path: '', state: {}, rng: rngOf(9) }).dataSync());
    const c = tf.tidy(() => layer.apply({}, input, { training: true, path: '', state: {}, rng: rngOf(10) }).dataSync());
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const kept = Array.from(a).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    // 10,000 Bernoulli(0.7) draws: standard error of the fraction √(0.21/10⁴) ≈ 0.0046; allow 4σ.
    expect(Math.abs(kept.length / a.length - 0.7)).toBeLessThan(0.02);
    input.dispose();
  });

  it('asks for a seeded source of randomness when training without one, and rejects bad rates', () => {
    const input = x();
    expect(() => dropout(0.5).apply({}, input, { training: true, path: 'drop', state: {} })).toThrow(/drop.*rng/);
    expect(() => dropout(1)).toThrow(ConfigError);
    expect(() => dropout(-0.1)).toThrow(ConfigError);
    input.dispose();
  });
});
