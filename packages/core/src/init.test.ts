import { describe, expect, it } from 'vitest';
import { resolveInitializer } from './init';
import { createRng } from './rng';

function variance(v: Float32Array): number {
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  return v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length;
}

describe('initializers', () => {
  const rng = createRng(0);
  const shape = [400, 300];
  const ctx = { fanIn: 400, fanOut: 300 };
  // With 120,000 draws the sample variance has relative standard error √(2/n) ≈ 0.4%; allow 3%.
  const cases: Array<[string | { name: string; [k: string]: unknown }, number, typeof ctx & { isFirstLayer?: boolean }]> = [
    ['glorot-normal', 2 / 700, ctx],
    ['glorot-uniform', 6 / 700 / 3, ctx],
    ['lecun-normal', 1 / 400, ctx],
    ['he-normal', 2 / 400, ctx],
    [{ name: 'strategy-4.1', kappa: 4 }, 1 / (4 * 400), ctx],
    [{ name: 'strategy-4.1', kappa: 4 }, 1 / 400, { ...ctx, isFirstLayer: true }],
    [{ name: 'normal', std: 0.01 }, 1e-4, ctx],
  ];
  for (const [spec, expected, c] of cases) {
    it(`${JSON.stringify(spec)}${c.isFirstLayer === true ? ' (first layer)' : ''} has variance ${expected.toExponential(3)}`, () => {
      const values = resolveInitializer(spec)(rng, shape, c);
      expect(values).toHaveLength(120_000);
      expect(Math.abs(variance(values) / expected - 1)).toBeLessThan(0.03);
    });
  }

  it('orthogonal gives orthonormal columns (tall) and rows (wide)', () => {
    for (const [rows, cols] of [[8, 5], [5, 8]] as const) {
      const w = resolveInitializer('orthogonal')(rng, [rows, cols], { fanIn: rows, fanOut: cols });
      const small = Math.min(rows, cols);
      for (let a = 0; a < small; a++) {
        for (let b = 0; b < small; b++) {
          let dot = 0;
          for (let k = 0; k < Math.max(rows, cols); k++) dot += rows >= cols ? w[k * cols + a]! * w[k * cols + b]! : w[a * cols + k]! * w[b * cols + k]!;
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
        }
      }
    }
  });

  it('zeros and constant', () => {
    expect(Array.from(resolveInitializer('zeros')(rng, [3], ctx))).toEqual([0, 0, 0]);
    expect(Array.from(resolveInitializer({ name: 'constant', value: 2 })(rng, [2], ctx))).toEqual([2, 2]);
  });

  it('rejects unknown names and bad options with typed errors', () => {
    expect(() => resolveInitializer('xavier')).toThrow(expect.objectContaining({ code: 'INIT_UNKNOWN' }));
    expect(() => resolveInitializer({ name: 'strategy-4.1', kappa: -1 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', field: 'init.kappa' }));
  });
});
