import { createRng, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { channelStats, flattenInputs, oneHot, standardizeChannels, standardizeChannelsInPlace } from './preprocess';

/** Images [n, 2, 2, 3] whose channels have different means and spreads, and a shifted test split. */
function images(): Dataset {
  const rng = createRng(0);
  const make = (n: number, shift: number) => {
    const x = new Float32Array(n * 12);
    for (let i = 0; i < x.length; i++) x[i] = [0.2, 0.5, 0.9][i % 3]! + [0.05, 0.2, 0.01][i % 3]! * rng.normal() + shift;
    return { x, y: new Int32Array(n), n };
  };
  return { name: 'tiny', inputShape: [2, 2, 3], task: 'classification', numClasses: 1, train: make(200, 0), test: make(50, 1) };
}

describe('per-channel standardization', () => {
  it('computes the training split statistics per channel, matching a direct float64 computation', () => {
    const data = images();
    const stats = channelStats(data.train, 3);
    for (let c = 0; c < 3; c++) {
      const values = Array.from(data.train.x).filter((_, i) => i % 3 === c);
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      expect(stats.mean[c]).toBeCloseTo(mean, 12);
      expect(stats.std[c]).toBeCloseTo(std, 12);
    }
  });

  it('maps train to mean 0, std 1 per channel, and applies the same (training) statistics to test', () => {
    const data = images();
    const before = data.train.x.slice();
    const out = standardizeChannels(data);
    expect(data.train.x).toEqual(before);
    const trainStats = channelStats(out.train, 3);
    const testStats = channelStats(out.test!, 3);
    for (let c = 0; c < 3; c++) {
      // float32 results of float64 arithmetic: means ~1e-7, not exactly 0.
      expect(Math.abs(trainStats.mean[c]!)).toBeLessThan(1e-5);
      expect(trainStats.std[c]).toBeCloseTo(1, 5);
      // The test split (shifted by +1) is mapped with the training statistics, not re-centred.
      const train = channelStats(data.train, 3);
      const expected = (channelStats(data.test!, 3).mean[c]! - train.mean[c]!) / train.std[c]!;
      expect(expected).toBeGreaterThan(4);
      expect(testStats.mean[c]).toBeCloseTo(expected, 4);
    }
    expect(out.description).toContain('training-split statistics');
  });

  it('in place gives the same numbers as the copying version', () => {
    const a = images();
    const b = images();
    const copy = standardizeChannels(a);
    standardizeChannelsInPlace(b);
    expect(b.train.x).toEqual(copy.train.x);
    expect(b.test!.x).toEqual(copy.test!.x);
  });
});

describe('flatten and one-hot', () => {
  it('flattens the input shape without copying', () => {
    const data = images();
    const flat = flattenInputs(data);
    expect(flat.inputShape).toEqual([12]);
    expect(flat.train.x).toBe(data.train.x);
  });

  it('one-hot encodes labels and rejects one out of range', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([3], 3)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }));
  });
});
