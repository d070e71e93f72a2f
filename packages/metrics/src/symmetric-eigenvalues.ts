/**
 * Eigenvalues of a real symmetric matrix in float64, without eigenvectors: Householder reduction to
 * tridiagonal form (LAPACK's dsytd2, on the upper triangle so every inner loop runs along a
 * row-major row), then the implicit QL iteration with Wilkinson shifts (EISPACK's tql1). Both are
 * backward stable, so each eigenvalue is exact for a matrix within ~n·ε·‖A‖ of the input.
 *
 * ml-matrix's EigenvalueDecomposition runs the same pair but always accumulates eigenvectors
 * (tred2/tql2): ~3× the flops, with column-order access. This one does (2/3)·n³ multiply-adds.
 */

/** Reduces the symmetric `a` (row-major n×n, only its upper triangle read; overwritten) to tridiagonal `d` (diagonal) and `e` (e[i] couples i and i+1). */
export function householderTridiagonal(n: number, a: Float64Array): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) {
    const row = i * n;
    d[i] = a[row + i]!;
    // Reflector H = I − τ·v·vᵀ (v[i+1] = 1) that maps the row right of the diagonal onto its first entry.
    const alpha = a[row + i + 1]!;
    let xnorm2 = 0;
    for (let c = i + 2; c < n; c++) xnorm2 += a[row + c]! * a[row + c]!;
    if (xnorm2 === 0) {
      e[i] = alpha;
      continue;
    }
    const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + xnorm2);
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    e[i] = beta;
    v[i + 1] = 1;
    for (let c = i + 2; c < n; c++) v[c] = a[row + c]! * scale;
    // p = τ·A₂₂·v from the upper triangle of A₂₂ (each stored entry serves (r, c) and (c, r)).
    w.fill(0, i + 1);
    for (let r = i + 1; r < n; r++) {
      const base = r * n;
      const vr = v[r]!;
      let sum = a[base + r]! * vr;
      for (let c = r + 1; c < n; c++) {
        const arc = a[base + c]!;
        sum += arc * v[c]!;
        w[c] += arc * vr;
      }
      w[r] += sum;
    }
    let pv = 0;
    for (let r = i + 1; r < n; r++) {
      w[r] *= tau;
      pv += w[r]! * v[r]!;
    }
    // w = p − (τ/2)(pᵀv)·v, then A₂₂ ← A₂₂ − v·wᵀ − w·vᵀ (upper triangle only).
    const k = -0.5 * tau * pv;
    for (let r = i + 1; r < n; r++) w[r] += k * v[r]!;
    for (let r = i + 1; r < n; r++) {
      const base = r * n;
      const vr = v[r]!;
      const wr = w[r]!;
      for (let c = r; c < n; c++) a[base + c] -= vr * w[c]! + wr * v[c]!;
    }
  }
  if (n > 0) d[n - 1] = a[(n - 1) * n + n - 1]!;
  return { d, e };
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
  for (let l = 0; l < n; l++) {
    let iterations = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++iterations > 60) throw new Error(`tridiagonal QL did not converge for eigenvalue ${l} of ${n}`);
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
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

/** Every eigenvalue of the symmetric row-major n×n `values` (not modified), ascending. */
export function symmetricEigenvaluesOf(n: number, values: Float64Array): Float64Array {
  const { d, e } = householderTridiagonal(n, Float64Array.from(values));
  return tridiagonalEigenvalues(d, e).sort();
}
