/**
 * Eigenvalues of a real symmetric matrix in float64, without eigenvectors: Householder reduction to
 * tridiagonal form (LAPACK's dsytd2, on the upper triangle so every inner loop runs along a
 * row-major row), then the implicit QL iteration with Wilkinson shifts (EISPACK's tql1). Both are
 * backward stable, so each eigenvalue is exact for a matrix within ~n·ε·‖A‖ of the input.
 *
 * ml-matrix's EigenvalueDecomposition runs the same pair but always accumulates eigenvectors
 * (tred2/tql2): ~3× the flops, with column-order access. This one does (2/3)·n³ multiply-adds.
 */

/**
 * Householder reflector H = I − τ·v·vᵀ (v[i+1] = 1) that maps row i right of its diagonal,
 * a[i][i+1..n), onto its first entry; writes v into `v`, returns τ and the new e[i] (β).
 */
function reflector(n: number, a: Float64Array, i: number, v: Float64Array): { tau: number; beta: number } {
  const row = i * n;
  const alpha = a[row + i + 1]!;
  let xnorm2 = 0;
  for (let c = i + 2; c < n; c++) xnorm2 += a[row + c]! * a[row + c]!;
  if (xnorm2 === 0) return { tau: 0, beta: alpha };
  const beta = -Math.sign(alpha || 1) * Math.sqrt(alpha * alpha + xnorm2);
  const scale = 1 / (alpha - beta);
  v[i + 1] = 1;
  for (let c = i + 2; c < n; c++) v[c] = a[row + c]! * scale;
  return { tau: (beta - alpha) / beta, beta };
}

/**
 * Reduces the symmetric `a` (row-major n×n, only its upper triangle read; overwritten) to
 * tridiagonal `d` (diagonal) and `e` (e[i] couples i and i+1).
 *
 * Step i needs p = τ·A₂₂·v and then the rank-2 update A₂₂ ← A₂₂ − v·wᵀ − w·vᵀ. Both sweep the
 * trailing matrix (8 MB at n = 1024, beyond the caches), so the update of step i is fused with the
 * product of step i + 1: each row is updated and at once multiplied by the next reflector, one
 * sweep per step instead of two.
 */
export function householderTridiagonal(n: number, a: Float64Array): { d: Float64Array; e: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  let v = new Float64Array(n);
  let p = new Float64Array(n);
  let vNext = new Float64Array(n);
  let pNext = new Float64Array(n);
  if (n === 0) return { d, e };
  // Step 0's product on its own; later products ride along with the previous update.
  let { tau, beta } = n > 1 ? reflector(n, a, 0, v) : { tau: 0, beta: 0 };
  if (tau !== 0) symmetricProduct(n, a, 1, v, p);
  for (let i = 0; i < n - 1; i++) {
    d[i] = a[i * n + i]!;
    e[i] = beta;
    // w = τ·p − (τ/2)(τ·pᵀv)·v, kept in p.
    if (tau !== 0) {
      let pv = 0;
      for (let r = i + 1; r < n; r++) {
        p[r]! *= tau;
        pv += p[r]! * v[r]!;
      }
      const k = -0.5 * tau * pv;
      for (let r = i + 1; r < n; r++) p[r]! += k * v[r]!;
    }
    const w = p;
    // Row i + 1 first: the next reflector is made from it.
    const first = (i + 1) * n;
    if (tau !== 0) {
      const vr = v[i + 1]!;
      const wr = w[i + 1]!;
      for (let c = i + 1; c < n; c++) a[first + c]! -= vr * w[c]! + wr * v[c]!;
    }
    let next = { tau: 0, beta: 0 };
    if (i + 1 < n - 1) next = reflector(n, a, i + 1, vNext);
    const multiply = next.tau !== 0;
    if (multiply) pNext.fill(0, i + 2);
    for (let r = i + 2; r < n; r++) {
      const base = r * n;
      const vr = v[r]!;
      const wr = w[r]!;
      const update = tau !== 0;
      if (multiply) {
        const ur = vNext[r]!;
        let sum = 0;
        let arr = a[base + r]!;
        if (update) {
          arr -= vr * w[r]! + wr * v[r]!;
          a[base + r] = arr;
        }
        sum += arr * ur;
        for (let c = r + 1; c < n; c++) {
          let arc = a[base + c]!;
          if (update) {
            arc -= vr * w[c]! + wr * v[c]!;
            a[base + c] = arc;
          }
          sum += arc * vNext[c]!;
          pNext[c]! += arc * ur;
        }
        pNext[r]! += sum;
      } else if (update) {
        for (let c = r; c < n; c++) a[base + c]! -= vr * w[c]! + wr * v[c]!;
      }
    }
    [v, vNext] = [vNext, v];
    [p, pNext] = [pNext, p];
    tau = next.tau;
    beta = next.beta;
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
  return { d, e };
}

/** out[r] = Σ_c A[r][c]·v[c] for r, c ≥ from, A symmetric and stored in its upper triangle. */
function symmetricProduct(n: number, a: Float64Array, from: number, v: Float64Array, out: Float64Array): void {
  out.fill(0, from);
  for (let r = from; r < n; r++) {
    const base = r * n;
    const vr = v[r]!;
    let sum = a[base + r]! * vr;
    for (let c = r + 1; c < n; c++) {
      const arc = a[base + c]!;
      sum += arc * v[c]!;
      out[c]! += arc * vr;
    }
    out[r]! += sum;
  }
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
