import { isOverparamError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { mnistPackageAvailable, provideMnistDigits } from './mnist';
import { loadDataSet } from './registry';

const PIXELS = 784;

/** Digit d gets `count` examples whose pixels all equal d + example/10: each example is recognisable. */
function fakeDigits(count: number): Float64Array[] {
  return Array.from({ length: 10 }, (_, d) => Float64Array.from({ length: count * PIXELS }, (_, i) => d + Math.floor(i / PIXELS) / 10));
}

function expectCorrupt(f: () => void): void {
  try {
    f();
  } catch (e) {
    expect(isOverparamError(e) && e.code).toBe('DATA_CORRUPT');
    return;
  }
  throw new Error('expected DATA_CORRUPT');
}

// Its own file: providing digits replaces the process's MNIST for every later load.
describe('provideMnistDigits (the digits of a browser bundle)', () => {
  it('rejects anything but ten whole sets of 784-pixel examples, before replacing the data', () => {
    expectCorrupt(() => provideMnistDigits(fakeDigits(5).slice(0, 9)));
    expectCorrupt(() => provideMnistDigits([...fakeDigits(5).slice(0, 9), new Float64Array(PIXELS + 1)]));
  });

  it("makes them the 'mnist' data set, split 80/20 per digit as the package's digits are", () => {
    provideMnistDigits(fakeDigits(5));
    expect(mnistPackageAvailable()).toBe(true);
    const data = loadDataSet('mnist');
    expect(data.train.n).toBe(40);
    expect(data.test!.n).toBe(10);
    for (const split of [data.train, data.test!]) {
      for (let i = 0; i < split.n; i++) {
        // Every pixel of an example is its digit plus a tenth of its index: the label must match the pixels.
        const first = split.x[i * PIXELS]!;
        expect(Math.floor(first + 1e-6)).toBe(split.y[i]);
        expect(split.x[i * PIXELS + PIXELS - 1]).toBe(first);
      }
    }
    // Per digit the first four examples train and the fifth tests (floor of 80%).
    expect(Array.from(data.test!.x.filter((_, i) => i % PIXELS === 0)).map((v) => Math.round((v % 1) * 10))).toEqual(new Array(10).fill(4));
  });
});
