import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { packDigits, unpackDigits } from './mnist-packing';

const require = createRequire(import.meta.url);
const readMnistDigits = () => Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(require.resolve(`mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] }).data);

describe('the bundled MNIST digits', () => {
  it("unpack to exactly the mnist package's numbers, at one byte per pixel", () => {
    const digits = readMnistDigits();
    const packed = packDigits(digits);
    expect(packed.codes.length).toBe(digits.reduce((n, d) => n + d.length, 0));
    const unpacked = unpackDigits(packed);
    expect(unpacked.map((d) => d.length)).toEqual(digits.map((d) => d.length));
    // Counted rather than compared with toEqual: deep equality of 800,000-element arrays takes minutes.
    let mismatches = 0;
    for (const [i, d] of digits.entries()) {
      const u = unpacked[i]!;
      for (let j = 0; j < d.length; j++) if (u[j] !== d[j]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('refuses what one byte per pixel cannot hold, and counts that do not add up', () => {
    expect(() => packDigits([Array.from({ length: 257 }, (_, i) => i)])).toThrow(/257 distinct values/);
    expect(() => unpackDigits({ table: [0], counts: [2], codes: new Uint8Array(3) })).toThrow(/hold 3 pixels, their counts add up to 2/);
  });
});
