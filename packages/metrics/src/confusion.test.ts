import { describe, expect, it } from 'vitest';
import { gradientConfusion, gradientCosines, summarizeCosines } from './confusion';

/** G from explicit gradient vectors, in float64: the definitions evaluated by hand. */
function gramOf(vectors: number[][]): { size: number; matrix: Float64Array } {
  const n = vectors.length;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) matrix[i * n + j] = vectors[i]!.reduce((s, v, k) => s + v * vectors[j]![k]!, 0);
  return { size: n, matrix };
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cos = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k]!, 0) / (norm(a) * norm(b));

describe('gradient confusion from a Gram', () => {
  const g = [
    [1, 0, 0],
    [-2, 1, 0],
    [0.5, 0.5, 3],
    [0, -1, -1],
  ];

  it('computes η (Definition 2.1), the averaged and the normalized variants (§8)', () => {
    const c = gradientConfusion(gramOf(g));
    // Inner products off the diagonal: ⟨g0,g1⟩ = −2, ⟨g1,g2⟩ = −0.5, ⟨g2,g3⟩ = −3.5 (the minimum), …
    expect(c.minInner).toBeCloseTo(-3.5, 12);
    expect(c.eta).toBeCloseTo(3.5, 12);
    // Σ_ij G_ij / N² is the squared norm of the mean gradient.
    const mean = [0, 1, 2].map((k) => g.reduce((s, v) => s + v[k]!, 0) / 4);
    expect(c.averagedInner).toBeCloseTo(norm(mean) ** 2, 12);
    expect(c.etaAveraged).toBe(0);
    const cosines = [];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) cosines.push(cos(g[i]!, g[j]!));
    expect(c.cosines.min).toBeCloseTo(Math.min(...cosines), 12);
    expect(c.etaNormalized).toBeCloseTo(-Math.min(...cosines), 12);
    expect(c.cosines.mean).toBeCloseTo(cosines.reduce((a, b) => a + b, 0) / 6, 12);
    expect(c.cosines.fractionNegative).toBeCloseTo(cosines.filter((v) => v < 0).length / 6, 12);
    expect(Array.from(gradientCosines(gramOf(g).matrix, 4))).toEqual(cosines.map((v) => expect.closeTo(v, 12)));
  });

  it('has η = 0 when every pair of gradients agrees', () => {
    const c = gradientConfusion(gramOf([[1, 0.1], [0.9, 0.2], [1, 1]]));
    expect(c.eta).toBe(0);
    expect(c.etaNormalized).toBe(0);
    expect(c.cosines.fractionNegative).toBe(0);
  });

  it('interpolates quantiles linearly between order statistics (numpy default)', () => {
    const values = [0.3, -0.1, 0.7, 0.0, 0.2];
    const s = summarizeCosines(values, [0.1, 0.5, 0.9]);
    // Sorted: −0.1, 0, 0.2, 0.3, 0.7; position q·(n − 1).
    expect(s.quantiles.p10).toBeCloseTo(-0.1 + 0.4 * 0.1, 12);
    expect(s.quantiles.p50).toBeCloseTo(0.2, 12);
    expect(s.median).toBeCloseTo(0.2, 12);
    expect(s.quantiles.p90).toBeCloseTo(0.3 + 0.6 * 0.4, 12);
  });

  it('leaves out pairs with a zero gradient, and says how many', () => {
    const c = gradientConfusion(gramOf([[1, 0], [0, 0], [-1, 1]]));
    expect(c.undefinedPairs).toBe(2);
    expect(c.cosines.count).toBe(1);
    expect(c.cosines.min).toBeCloseTo(-1 / Math.SQRT2, 12);
  });

  it('rejects a matrix of the wrong size', () => {
    expect(() => gradientConfusion({ size: 3, matrix: new Float64Array(8) })).toThrow(/3 × 3|9 values/);
    expect(() => gradientConfusion({ size: 1, matrix: new Float64Array(1) })).toThrow(/at least 2/);
  });
});
