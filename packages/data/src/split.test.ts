import { describe, it, expect } from 'vitest';
import { stratifiedSplitPlan } from './split';

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
