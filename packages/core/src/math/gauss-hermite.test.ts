import { isOverparamError } from '../errors';
import { describe, expect, it } from 'vitest';
import { gaussHermite, gaussianExpectation2d } from './gauss-hermite';

const relu = (x: number) => Math.max(0, x);

/** Arc-cosine kernel of degree 1 (Cho & Saul), written out independently of population-gram.ts. */
function reluPair(a: number, b: number, c: number): number {
  const t = Math.acos(b / Math.sqrt(a * c));
  return (Math.sqrt(a * c) * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
}

describe('gaussHermite (Golub–Welsch)', () => {
  it('gives the textbook 3-point rule: nodes 0, ±√3, weights 2/3, 1/6, 1/6', () => {
    const { nodes, weights } = gaussHermite(3);
    expect(nodes[0]).toBeCloseTo(-Math.sqrt(3), 14);
    expect(nodes[1]).toBeCloseTo(0, 14);
    expect(nodes[2]).toBeCloseTo(Math.sqrt(3), 14);
    expect(weights[0]).toBeCloseTo(1 / 6, 14);
    expect(weights[1]).toBeCloseTo(2 / 3, 14);
    expect(weights[2]).toBeCloseTo(1 / 6, 14);
  });

  it('integrates normal moments exactly up to degree 2N − 1: E[z^2k] = (2k − 1)!!', () => {
    const n = 12;
    const { nodes, weights } = gaussHermite(n);
    let doubleFactorial = 1;
    for (let k = 0; 2 * k <= 2 * n - 1; k++) {
      if (k > 0) doubleFactorial *= 2 * k - 1;
      const even = nodes.reduce((s, x, i) => s + weights[i]! * x ** (2 * k), 0);
      const odd = nodes.reduce((s, x, i) => s + weights[i]! * x ** (2 * k + 1), 0);
      expect(Math.abs(even / doubleFactorial - 1)).toBeLessThan(1e-12);
      expect(Math.abs(odd)).toBeLessThan(1e-9 * doubleFactorial);
    }
  });

  it('rejects a point count outside [1, 200]', () => {
    let err: unknown;
    try {
      gaussHermite(0);
    } catch (e) {
      err = e;
    }
    expect(isOverparamError(err) && err.code).toBe('CONFIG_INVALID');
  });
});

describe('gaussianExpectation2d', () => {
  const covs = [
    { a: 1, b: 0.3, c: 1 },
    { a: 1, b: -0.95, c: 1 },
    { a: 2.5, b: -1.2, c: 1.7 },
    { a: 0.7, b: Math.sqrt(0.7 * 1.3), c: 1.3 }, // singular: u and v perfectly correlated
  ];

  it('matches closed forms for smooth functions to 1e-12 (1e-10 for an exponential)', () => {
    const rule = gaussHermite(40);
    for (const { a, b, c } of covs) {
      // Isserlis: E[u²v²] = ac + 2b² (a degree-4 polynomial: exact with any rule of ≥ 3 points).
      expect(gaussianExpectation2d((u) => u * u, (v) => v * v, { a, b, c }, rule)).toBeCloseTo(a * c + 2 * b * b, 12);
      // Moment generating function: E[e^u e^v] = e^{(a + 2b + c)/2}. The integrand grows
      // exponentially, so the outer nodes the rule skips (weights < 1e-16) cost ~1e-11 here.
      expect(gaussianExpectation2d(Math.exp, Math.exp, { a, b, c }, rule) / Math.exp((a + 2 * b + c) / 2)).toBeCloseTo(1, 10);
      // Characteristic function: E[cos u cos v] = e^{−(a+c)/2} cosh b.
      expect(gaussianExpectation2d(Math.cos, Math.cos, { a, b, c }, rule)).toBeCloseTo(Math.exp(-(a + c) / 2) * Math.cosh(b), 12);
    }
  });

  it('approaches the ReLU arc-cosine closed form only as O(1/N), because of the kink', () => {
    // This is why population-gram.ts uses the closed form for ReLU: a tensor-product rule cannot
    // reach 1e-6 across a kink (measured: ~4e-4 at N = 160). Halving the error per doubling of N
    // is the signature of first-order convergence; we check a ratio of at least 1.5 per doubling.
    const errors = [20, 40, 80, 160].map((n) =>
      Math.max(...covs.slice(0, 3).map(({ a, b, c }) => Math.abs(gaussianExpectation2d(relu, relu, { a, b, c }, gaussHermite(n)) - reluPair(a, b, c)))),
    );
    for (let k = 1; k < errors.length; k++) expect(errors[k - 1]! / errors[k]!).toBeGreaterThan(1.5);
    expect(errors[3]).toBeLessThan(2e-3);
  });
});
