import { createRng, isOverparamError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { histogram } from './histogram';

describe('histogram', () => {
  const rng = createRng(7);
  const values = Float64Array.from({ length: 1000 }, () => Math.tanh(0.7 * rng.normal()));

  it('counts like a direct loop over equal-width bins, the last bin closed', () => {
    const domain = [-1, 1] as const;
    const h = histogram(values, { bins: 16, domain });
    const expected = new Array<number>(16).fill(0);
    for (const v of values) expected[Math.min(15, Math.floor(((v + 1) / 2) * 16))]! += 1;
    expect(Array.from(h.counts)).toEqual(expected);
    expect(h.edges).toHaveLength(17);
    expect(h.edges[0]).toBe(-1);
    expect(h.edges[16]).toBe(1);
    expect(h.binned).toBe(1000);
    expect(h.outside).toBe(0);
    // A value on the upper end lands in the last bin, not outside.
    expect(histogram([1, -1, 0.5], { bins: 2, domain }).counts).toEqual(Uint32Array.from([1, 2]));
  });

  it('normalises to a density that integrates to 1 over the domain', () => {
    const h = histogram(values, { bins: 'freedman-diaconis' });
    let integral = 0;
    for (let k = 0; k < h.counts.length; k++) integral += h.density[k]! * (h.edges[k + 1]! - h.edges[k]!);
    expect(integral).toBeCloseTo(1, 12);
    expect(h.counts.length).toBeGreaterThan(10);
  });

  it('leaves values outside a fixed domain out and counts them', () => {
    const h = histogram([-2, -0.5, 0.25, 0.75, 3], { bins: 2, domain: [-1, 1] });
    expect(Array.from(h.counts)).toEqual([1, 2]);
    expect(h.outside).toBe(2);
  });

  it('picks Sturges’ count by default: ⌈log₂ n⌉ + 1', () => {
    expect(histogram(values).counts).toHaveLength(Math.ceil(Math.log2(1000)) + 1);
    // All-equal values still get one bin of unit width around them.
    const flat = histogram([0.2, 0.2], { bins: 1 });
    expect(flat.edges[1]! - flat.edges[0]!).toBe(1);
    expect(flat.counts[0]).toBe(2);
  });

  it('rejects bad input with typed errors', () => {
    for (const [fn, code] of [
      [() => histogram([]), 'SHAPE_MISMATCH'],
      [() => histogram([Number.POSITIVE_INFINITY]), 'CONFIG_INVALID'],
      [() => histogram(values, { bins: 0 }), 'CONFIG_INVALID'],
      [() => histogram(values, { bins: 'nice' as never }), 'CONFIG_INVALID'],
      [() => histogram(values, { domain: [0, 0] }), 'CONFIG_INVALID'],
    ] as const) {
      let thrown: unknown;
      try {
        fn();
      } catch (e) {
        thrown = e;
      }
      expect(isOverparamError(thrown) && thrown.code).toBe(code);
    }
  });
});
