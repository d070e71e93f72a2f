/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL iteration with Wilkinson shifts
 * (EISPACK's tql1), in float64: the second half of `symmetricEigenvaluesOf`, and Lanczos's inner
 * solver.
 */
/**
 * √(x² + y²). Math.hypot guards against overflow and underflow at several times the cost of the
 * square root: with it, QL on the tridiagonal of the bench's n = 1024 Gram took 2.4× as long
 * (41 against 17 ms of CPU). The plain formula is accurate to rounding whenever x² + y² is a
 * normal number well inside the range, so only the rest goes to Math.hypot.
 */
function hypot(x: number, y: number): number {
  const s = x * x + y * y;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(x, y);
}

/**
 * Eigenvalues of the symmetric tridiagonal (d, e) by implicit QL with shifts, in place on `d`
 * (unsorted). When `lastRow` is given (length n, initially the last row of the identity), it
 * follows the rotations and ends as the last components of the eigenvectors: what Lanczos needs
 * for its residuals, at O(1) per rotation instead of O(n).
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array, lastRow?: Float64Array): Float64Array {
  const n = d.length;
  if (n > 0) e[n - 1] = 0;
  // An off-diagonal entry below ε·‖T‖ is split off as well as one below ε·(|dₘ| + |dₘ₊₁|): in a
  // cluster of (numerically) zero eigenvalues, as a low-rank Gram has, the relative test alone
  // asks rounding noise of 1e-17 to shrink below 1e-31 and may not converge. The reduction to T
  // already moved every eigenvalue by about ε·‖A‖, so this costs no accuracy.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const floor = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        const off = Math.abs(e[m]!);
        if (off <= Number.EPSILON * dd || off <= floor) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error(`tridiagonal QL did not converge for eigenvalue ${l} of ${n}`);
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1]! -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (lastRow !== undefined) {
          const h = lastRow[i + 1]!;
          lastRow[i + 1] = s * lastRow[i]! + c * h;
          lastRow[i] = c * lastRow[i]! - s * h;
        }
      }
      if (deflated) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d;
}
