/**
 * Cholesky factorization A + shift·I = L·Lᵀ in float64 and the solves with it: what shift-and-invert
 * Lanczos (`lanczos.ts`) needs to find λ_min of a Gram whose bottom edge is dense. n³/6
 * multiply-adds, against (2/3)·n³ for the Householder reduction of the full solver, and all of
 * them in contiguous dot products, where the reduction's rank-2 updates stream the whole trailing
 * matrix once per column.
 */

/** Rows of L computed together: each row j < i is then read from memory once per block, and the block's sums are independent (instruction-level parallelism). */
const BLOCK = 4;

/**
 * The lower factor L (row-major n×n, upper triangle zero) of `a` + shift·I, reading only the lower
 * triangle of the symmetric row-major `a`; `undefined` when a pivot is not positive (the shifted
 * matrix is not positive definite to working precision).
 *
 * Left-looking by rows: L[i][j] = (A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j].
 */
export function cholesky(n: number, a: Float64Array, shift = 0): Float64Array | undefined {
  const l = new Float64Array(n * n);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    if (rows === BLOCK) offDiagonalBlock(n, a, l, i0);
    else for (let i = i0; i < n; i++) for (let j = 0; j < i0; j++) l[i * n + j] = entry(n, a, l, i, j) / l[j * n + j]!;
    // The block's own triangle, row by row.
    for (let i = i0; i < i0 + rows; i++) {
      for (let j = i0; j < i; j++) l[i * n + j] = entry(n, a, l, i, j) / l[j * n + j]!;
      const pivot = entry(n, a, l, i, i) + shift;
      if (!(pivot > 0)) return undefined;
      l[i * n + i] = Math.sqrt(pivot);
    }
  }
  return l;
}

/** A[i][j] − Σ_{k<j} L[i][k]·L[j][k]. */
function entry(n: number, a: Float64Array, l: Float64Array, i: number, j: number): number {
  const ri = i * n;
  const rj = j * n;
  let s = a[ri + j]!;
  for (let k = 0; k < j; k++) s -= l[ri + k]! * l[rj + k]!;
  return s;
}

/**
 * Columns j < i0 of the four rows i0 … i0 + 3, two columns at a time: eight independent sums, and
 * rows j and j + 1 each read once for all four rows.
 */
function offDiagonalBlock(n: number, a: Float64Array, l: Float64Array, i0: number): void {
  const r0 = i0 * n;
  const r1 = r0 + n;
  const r2 = r1 + n;
  const r3 = r2 + n;
  let j = 0;
  for (; j + 1 < i0; j += 2) {
    const rj = j * n;
    const rk = rj + n;
    let s0 = a[r0 + j]!;
    let s1 = a[r1 + j]!;
    let s2 = a[r2 + j]!;
    let s3 = a[r3 + j]!;
    let t0 = a[r0 + j + 1]!;
    let t1 = a[r1 + j + 1]!;
    let t2 = a[r2 + j + 1]!;
    let t3 = a[r3 + j + 1]!;
    for (let k = 0; k < j; k++) {
      const x = l[rj + k]!;
      const y = l[rk + k]!;
      const l0 = l[r0 + k]!;
      const l1 = l[r1 + k]!;
      const l2 = l[r2 + k]!;
      const l3 = l[r3 + k]!;
      s0 -= l0 * x;
      s1 -= l1 * x;
      s2 -= l2 * x;
      s3 -= l3 * x;
      t0 -= l0 * y;
      t1 -= l1 * y;
      t2 -= l2 * y;
      t3 -= l3 * y;
    }
    // Column j is complete; column j + 1 still lacks its k = j term, L[i][j]·L[j+1][j].
    const inv = 1 / l[rj + j]!;
    const invNext = 1 / l[rk + j + 1]!;
    const c = l[rk + j]!;
    s0 *= inv;
    s1 *= inv;
    s2 *= inv;
    s3 *= inv;
    l[r0 + j] = s0;
    l[r1 + j] = s1;
    l[r2 + j] = s2;
    l[r3 + j] = s3;
    l[r0 + j + 1] = (t0 - s0 * c) * invNext;
    l[r1 + j + 1] = (t1 - s1 * c) * invNext;
    l[r2 + j + 1] = (t2 - s2 * c) * invNext;
    l[r3 + j + 1] = (t3 - s3 * c) * invNext;
  }
  for (; j < i0; j++) for (const r of [r0, r1, r2, r3]) l[r + j] = entry(n, a, l, r / n, j) / l[j * n + j]!;
}

/** x = (L·Lᵀ)⁻¹·b, with `scratch` (length n) for the intermediate; `x` may be `b`. */
export function choleskySolve(n: number, l: Float64Array, b: Float64Array, x: Float64Array, scratch: Float64Array): void {
  // L·y = b, by rows (contiguous).
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * scratch[k]!;
    scratch[i] = s / l[ri + i]!;
  }
  // Lᵀ·x = y, by columns of Lᵀ, i.e. again by rows of L (contiguous).
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = scratch[i]! / l[ri + i]!;
    scratch[i] = xi;
    for (let k = 0; k < i; k++) scratch[k]! -= l[ri + k]! * xi;
  }
  x.set(scratch);
}
