import { describe, it, expect } from 'vitest';
import { assembleMnist, loadMnist, readMnistDigits } from './mnist';
import { stratifiedSplitPlan } from './split';

const PIXELS = 784;
const digits = readMnistDigits();
const perDigit = digits.map((d) => d.length / PIXELS);

function classCounts(y: ArrayLike<number>): number[] {
  const c = new Array<number>(10).fill(0);
  for (let i = 0; i < y.length; i++) c[y[i]!]! += 1;
  return c;
}

describe('mnist', () => {
  const data = loadMnist();

  it('holds the 10,000 digits as 784-pixel classification examples', () => {
    expect(perDigit.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(data.name).toBe('mnist');
    expect(data.inputShape).toEqual([784]);
    expect(data.task).toBe('classification');
    expect(data.numClasses).toBe(10);
    expect(data.train.n + data.test!.n).toBe(10_000);
    expect(data.train.n).toBe(7996);
  });

  it('splits every digit 80/20 (floor) between train and test', () => {
    const train = classCounts(data.train.y);
    const test = classCounts(data.test!.y);
    for (let d = 0; d < 10; d++) {
      expect(train[d]).toBe(Math.floor(perDigit[d]! * 0.8));
      expect(train[d]! + test[d]!).toBe(perDigit[d]);
    }
  });

  it('has finite pixel values in [0, 1] and the right array sizes', () => {
    for (const split of [data.train, data.test!]) {
      expect(split.x.length).toBe(split.n * PIXELS);
      expect(split.y.length).toBe(split.n);
      let bad = 0;
      for (const v of split.x) if (!(Number.isFinite(v) && v >= 0 && v <= 1)) bad++;
      expect(bad).toBe(0);
    }
  });

  it('places each digit file example exactly where the plan says, each once', () => {
    const plan = stratifiedSplitPlan(perDigit, 0.8);
    const used = perDigit.map((c) => new Uint8Array(c));
    for (const [split, p] of [[data.train, plan.train], [data.test!, plan.test]] as const) {
      expect(Array.from(split.y)).toEqual(Array.from(p.label));
      let mismatches = 0;
      for (let i = 0; i < split.n; i++) {
        const d = p.label[i]!;
        const k = p.index[i]!;
        used[d]![k]! += 1;
        for (let j = 0; j < PIXELS; j++) if (split.x[i * PIXELS + j] !== Math.fround(digits[d]![k * PIXELS + j]!)) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
    for (const u of used) expect(u.every((v) => v === 1)).toBe(true);
  });

  it('gives the same split on every load and reads the files once per process', () => {
    expect(loadMnist()).toBe(data);
    const again = assembleMnist(readMnistDigits());
    // Counted by hand: a deep toEqual over 8 million floats takes most of a minute.
    for (const [a, b] of [[again.train, data.train], [again.test!, data.test!]] as const) {
      expect(a.n).toBe(b.n);
      let differing = 0;
      for (let i = 0; i < a.y.length; i++) if (a.y[i] !== b.y[i]) differing++;
      for (let i = 0; i < a.x.length; i++) if (a.x[i] !== b.x[i]) differing++;
      expect(differing).toBe(0);
    }
  });

  it('interleaves digits rather than grouping them', () => {
    expect(Array.from(data.train.y.subarray(0, 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
