import { createRng } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from './cholesky';

/** A·Aᵀ + I for a random n×n A: symmetric positive definite, entries O(n). */
function spd(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const a = Float64Array.from({ length: n * n }, () => rng.normal());
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) g[i * n + j]! += a[i * n + k]! * a[j * n + k]!;
  for (let i = 0; i < n; i++) g[i * n + i]! += 1;
  return g;
}

describe('cholesky', () => {
  // Sizes around the four-row blocks and the two-column steps: remainders 0–3 both ways.
  it.each([1, 5, 13, 50, 67])('n = %i: L·Lᵀ = A + shift·I with L lower triangular, and the solve inverts it', (n) => {
    const g = spd(n, n);
    const shift = 0.25;
    const l = cholesky(n, g, shift)!;
    // Backward stable: |L·Lᵀ − (A + shift·I)| ≤ ~n·ε·max A_ii entrywise; 1e-12 relative to the largest entry leaves margin at these sizes.
    const scale = Math.max(...g.map(Math.abs));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (j > i) expect(l[i * n + j]).toBe(0);
        let s = 0;
        for (let k = 0; k < n; k++) s += l[i * n + k]! * l[j * n + k]!;
        expect(Math.abs(s - g[i * n + j]! - (i === j ? shift : 0))).toBeLessThan(1e-12 * scale);
      }
    }
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = new Float64Array(n);
    choleskySolve(n, l, b, x, new Float64Array(n));
    for (let i = 0; i < n; i++) {
      let s = shift * x[i]!;
      for (let j = 0; j < n; j++) s += g[i * n + j]! * x[j]!;
      // Residual ~ ε·‖A‖·‖x‖ (≈ 1e-13 here: ‖A‖ ≤ 4n + 1.25, ‖x‖ = O(1)); 1e-9 catches any wrong entry of L.
      expect(Math.abs(s - b[i]!)).toBeLessThan(1e-9);
    }
  });

  it('says a matrix that is not positive definite is not, instead of taking a square root of a negative pivot', () => {
    // eigenvalues 3 and −1
    expect(cholesky(2, Float64Array.from([1, 2, 2, 1]))).toBeUndefined();
    // positive definite once shifted by more than 1
    expect(cholesky(2, Float64Array.from([1, 2, 2, 1]), 1.5)).toBeDefined();
  });
});
