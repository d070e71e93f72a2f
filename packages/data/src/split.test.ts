import { describe, it, expect } from 'vitest';
import { createRng } from '@overparam/core';
import { balancedPartition, balancedSubset, stratifiedSplitPlan } from './split';

describe('stratifiedSplitPlan', () => {
  it('puts the first floor(80%) of each class in train, the rest in test, each example once', () => {
    const counts = [5, 3, 0, 7];
    const { train, test } = stratifiedSplitPlan(counts, 0.8);
    const seen = counts.map((c) => new Uint8Array(c));
    for (const [plan, isTrain] of [[train, true], [test, false]] as const) {
      for (let i = 0; i < plan.label.length; i++) {
        const k = plan.label[i]!;
        const j = plan.index[i]!;
        expect(j < Math.floor(counts[k]! * 0.8)).toBe(isTrain);
        seen[k]![j]! += 1;
      }
    }
    for (const s of seen) expect(Array.from(s).every((v) => v === 1)).toBe(true);
  });

  it('interleaves the classes round by round', () => {
    const { train, test } = stratifiedSplitPlan([3, 1, 2], 1);
    expect(Array.from(train.label)).toEqual([0, 1, 2, 0, 2, 0]);
    expect(Array.from(train.index)).toEqual([0, 0, 0, 1, 1, 2]);
    expect(test.label.length).toBe(0);
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => stratifiedSplitPlan([1], 1.5)).toThrow(RangeError);
  });
});

describe('balancedPartition and balancedSubset', () => {
  // Labels in an uneven order: class k at positions where i % 7 maps to it.
  const labels = Int32Array.from({ length: 70 }, (_, i) => [0, 1, 2, 0, 1, 2, 2][i % 7]!);

  it('gives each part its per-class quota, disjoint, in source order within a class', () => {
    const [a, b] = balancedPartition(labels, 3, [9, 7]);
    const count = (idx: Int32Array) => [0, 1, 2].map((k) => Array.from(idx).filter((i) => labels[i] === k).length);
    expect(count(a!)).toEqual([3, 3, 3]);
    expect(count(b!)).toEqual([3, 2, 2]); // 7 = 2·3 + 1: the first class gets the extra one
    expect(new Set([...a!, ...b!]).size).toBe(16);
    // Class 0 sits at 0, 3, 7, 10, 14, 17, …: part a takes the first three, part b the next three.
    expect(Array.from(a!).filter((i) => labels[i] === 0)).toEqual([0, 3, 7]);
    expect(Array.from(b!).filter((i) => labels[i] === 0)).toEqual([10, 14, 17]);
    // Classes interleave, so any prefix is balanced too.
    expect(Array.from(a!.subarray(0, 3), (i) => labels[i])).toEqual([0, 1, 2]);
  });

  it('draws within each class in an order fixed by the rng when given one', () => {
    const first = balancedPartition(labels, 3, [6], createRng(1))[0]!;
    expect(balancedPartition(labels, 3, [6], createRng(1))[0]).toEqual(first);
    expect(balancedPartition(labels, 3, [6], createRng(2))[0]).not.toEqual(first);
  });

  it('says which class runs out, as a ConfigError on the given field', () => {
    // Class 0 has 20 examples; 3 parts of 24 want 8 + 8 + 8 of it.
    expect(() => balancedPartition(labels, 3, [24, 24, 24], undefined, 'dataOptions.split')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', field: 'dataOptions.split' }),
    );
  });

  it('copies the chosen examples with their labels', () => {
    const split = { x: Float32Array.from({ length: 70 * 2 }, (_, i) => i), y: labels, n: 70 };
    const sub = balancedSubset(split, 2, 3, 6);
    expect(sub.n).toBe(6);
    for (let i = 0; i < 6; i++) {
      const source = sub.x[2 * i]! / 2;
      expect(sub.x[2 * i + 1]).toBe(2 * source + 1);
      expect(sub.y[i]).toBe(labels[source]);
    }
    expect(() => balancedSubset(split, 2, 3, 71)).toThrow(expect.objectContaining({ field: 'trainSubset' }));
  });
});
