/**
 * Householder reduction of a real symmetric matrix to tridiagonal form, in float64 (LAPACK's
 * dsytrd: blocked, with dsytd2 for small matrices; on the upper triangle so every inner loop runs
 * along a row-major row). Backward stable: the tridiagonal is exactly similar to a matrix within
 * ~n·ε·‖A‖ of the input. The first half of `symmetricEigenvaluesOf`.
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
export function householderTridiagonalUnblocked(n: number, a: Float64Array): { d: Float64Array; e: Float64Array } {
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

/**
 * Panel width of the blocked reduction: the trailing update is then one rank-2·PANEL product
 * (2·PANEL multiply-adds per entry it reads and writes) instead of PANEL rank-2 sweeps. At
 * n = 1024 (CPU time) 16 measured the same as 32 and 64 took 1.08× as long: the panel's own
 * corrections grow with the width. LAPACK's default for dsytrd is 32 too.
 */
const PANEL = 32;
/**
 * From this size on the blocked reduction is used. Measured (CPU time): at n = 128 the unblocked
 * one is 1.2× faster (its trailing matrix fits in cache), at n = 256 1.3× slower.
 */
export const BLOCKED_FROM = 192;

/**
 * The same reduction as `householderTridiagonalUnblocked`, blocked as LAPACK's dsytrd/dlatrd do.
 * The unblocked step sweeps the whole trailing matrix twice per column (A·v, then the rank-2
 * update A −= v·wᵀ + w·vᵀ) or, fused, once with a write. Here a panel of PANEL columns is reduced
 * against the matrix as it was at the panel's start, A·v corrected by the panel's earlier
 * reflectors (v −= V·(Wᵀv) + W·(Vᵀv), O(n·PANEL)), and the trailing matrix is updated once per
 * panel, A −= V·Wᵀ + W·Vᵀ, as a matrix product with register blocking. Half the (2/3)·n³
 * multiply-adds are in that product; the other half are the read-only products A·v.
 */
export function householderTridiagonal(n: number, a: Float64Array): { d: Float64Array; e: Float64Array } {
  if (n < BLOCKED_FROM) return householderTridiagonalUnblocked(n, a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // Reflector j of the panel in vs[j·n …], its w in ws[j·n …] (entries below the reflector's start are stale, never read).
  const vs = new Float64Array(PANEL * n);
  const ws = new Float64Array(PANEL * n);
  // The update's panels row-major (row r: [v_0..v_{b-1}, w_0..w_{b-1}](r) and its swap), so that each entry is a contiguous dot product.
  const left = new Float64Array(n * 2 * PANEL);
  const right = new Float64Array(n * 2 * PANEL);
  const dots = new Float64Array(2 * PANEL);
  for (let k0 = 0; k0 < n - 1; k0 += PANEL) {
    const cols = Math.min(PANEL, n - 1 - k0);
    for (let j = 0; j < cols; j++) {
      const i = k0 + j;
      const row = i * n;
      // Row i, with the panel's earlier reflectors applied: the reflector is made from it. Here and
      // in the corrections below two reflectors share each pass over a vector (half the passes:
      // 6% of the reduction's CPU time at n = 1024).
      let pr = 0;
      for (; pr + 1 < j; pr += 2) {
        const o = pr * n;
        const q = o + n;
        const vi = vs[o + i]!;
        const wi = ws[o + i]!;
        const ui = vs[q + i]!;
        const xi = ws[q + i]!;
        for (let c = i; c < n; c++) a[row + c]! -= vi * ws[o + c]! + wi * vs[o + c]! + ui * ws[q + c]! + xi * vs[q + c]!;
      }
      if (pr < j) {
        const o = pr * n;
        const vi = vs[o + i]!;
        const wi = ws[o + i]!;
        for (let c = i; c < n; c++) a[row + c]! -= vi * ws[o + c]! + wi * vs[o + c]!;
      }
      d[i] = a[row + i]!;
      const v = vs.subarray(j * n, (j + 1) * n);
      const p = ws.subarray(j * n, (j + 1) * n);
      const { tau, beta } = reflector(n, a, i, v);
      e[i] = beta;
      if (tau === 0) {
        // H = I: w = 0 makes this pair's part of every correction and of the update vanish.
        p.fill(0);
        continue;
      }
      symmetricProduct(n, a, i + 1, v, p);
      let pd = 0;
      for (; pd + 1 < j; pd += 2) {
        const o = pd * n;
        const q = o + n;
        let wv = 0;
        let vv = 0;
        let wu = 0;
        let vu = 0;
        for (let c = i + 1; c < n; c++) {
          const x = v[c]!;
          wv += ws[o + c]! * x;
          vv += vs[o + c]! * x;
          wu += ws[q + c]! * x;
          vu += vs[q + c]! * x;
        }
        dots[2 * pd] = wv;
        dots[2 * pd + 1] = vv;
        dots[2 * pd + 2] = wu;
        dots[2 * pd + 3] = vu;
      }
      if (pd < j) {
        const o = pd * n;
        let wv = 0;
        let vv = 0;
        for (let c = i + 1; c < n; c++) {
          wv += ws[o + c]! * v[c]!;
          vv += vs[o + c]! * v[c]!;
        }
        dots[2 * pd] = wv;
        dots[2 * pd + 1] = vv;
      }
      let pc = 0;
      for (; pc + 1 < j; pc += 2) {
        const o = pc * n;
        const q = o + n;
        const wv = dots[2 * pc]!;
        const vv = dots[2 * pc + 1]!;
        const wu = dots[2 * pc + 2]!;
        const vu = dots[2 * pc + 3]!;
        for (let c = i + 1; c < n; c++) p[c]! -= vs[o + c]! * wv + ws[o + c]! * vv + vs[q + c]! * wu + ws[q + c]! * vu;
      }
      if (pc < j) {
        const o = pc * n;
        const wv = dots[2 * pc]!;
        const vv = dots[2 * pc + 1]!;
        for (let c = i + 1; c < n; c++) p[c]! -= vs[o + c]! * wv + ws[o + c]! * vv;
      }
      // w = τ·p − (τ/2)(τ·pᵀv)·v, as in the unblocked step.
      let pv = 0;
      for (let c = i + 1; c < n; c++) {
        p[c]! *= tau;
        pv += p[c]! * v[c]!;
      }
      const k = -0.5 * tau * pv;
      for (let c = i + 1; c < n; c++) p[c]! += k * v[c]!;
    }
    const from = k0 + cols;
    const width = 2 * cols;
    for (let r = from; r < n; r++) {
      const o = r * width;
      for (let j = 0; j < cols; j++) {
        const vr = vs[j * n + r]!;
        const wr = ws[j * n + r]!;
        left[o + j] = vr;
        left[o + cols + j] = wr;
        right[o + j] = wr;
        right[o + cols + j] = vr;
      }
    }
    subtractProduct(n, a, from, left, right, width);
  }
  d[n - 1] = a[(n - 1) * n + n - 1]!;
  return { d, e };
}

/**
 * out[r] = Σ_c A[r][c]·v[c] for r, c ≥ from, A symmetric in its upper triangle; four rows at a
 * time, so each out[c] is read and written once per four rows and v[c] read once for four sums.
 */
function symmetricProduct(n: number, a: Float64Array, from: number, v: Float64Array, out: Float64Array): void {
  out.fill(0, from);
  let r = from;
  for (; r + 3 < n; r += 4) {
    const b0 = r * n;
    const b1 = b0 + n;
    const b2 = b1 + n;
    const b3 = b2 + n;
    const v0 = v[r]!;
    const v1 = v[r + 1]!;
    const v2 = v[r + 2]!;
    const v3 = v[r + 3]!;
    // The 4×4 block on the diagonal, from its upper triangle.
    const a01 = a[b0 + r + 1]!;
    const a02 = a[b0 + r + 2]!;
    const a03 = a[b0 + r + 3]!;
    const a12 = a[b1 + r + 2]!;
    const a13 = a[b1 + r + 3]!;
    const a23 = a[b2 + r + 3]!;
    let s0 = a[b0 + r]! * v0 + a01 * v1 + a02 * v2 + a03 * v3;
    let s1 = a01 * v0 + a[b1 + r + 1]! * v1 + a12 * v2 + a13 * v3;
    let s2 = a02 * v0 + a12 * v1 + a[b2 + r + 2]! * v2 + a23 * v3;
    let s3 = a03 * v0 + a13 * v1 + a23 * v2 + a[b3 + r + 3]! * v3;
    for (let c = r + 4; c < n; c++) {
      const x = v[c]!;
      const e0 = a[b0 + c]!;
      const e1 = a[b1 + c]!;
      const e2 = a[b2 + c]!;
      const e3 = a[b3 + c]!;
      s0 += e0 * x;
      s1 += e1 * x;
      s2 += e2 * x;
      s3 += e3 * x;
      out[c]! += e0 * v0 + e1 * v1 + e2 * v2 + e3 * v3;
    }
    out[r]! += s0;
    out[r + 1]! += s1;
    out[r + 2]! += s2;
    out[r + 3]! += s3;
  }
  for (; r < n; r++) {
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
 * A[r][c] −= Σ_k P[r][k]·Q[c][k] for from ≤ r ≤ c < n, with P and Q row-major n×K. Blocks of
 * 2 rows × 4 columns: eight independent sums, six loads for eight multiply-adds. The blocks that
 * straddle the diagonal also write a few entries left of it, which the upper-triangle code never reads.
 */
function subtractProduct(n: number, a: Float64Array, from: number, p: Float64Array, q: Float64Array, K: number): void {
  let r = from;
  for (; r + 1 < n; r += 2) {
    const a0 = r * n;
    const a1 = a0 + n;
    const p0 = r * K;
    const p1 = p0 + K;
    let c = r;
    for (; c + 3 < n; c += 4) {
      const q0 = c * K;
      const q1 = q0 + K;
      const q2 = q1 + K;
      const q3 = q2 + K;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = p[p0 + k]!;
        const x1 = p[p1 + k]!;
        const y0 = q[q0 + k]!;
        const y1 = q[q1 + k]!;
        const y2 = q[q2 + k]!;
        const y3 = q[q3 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      a[a0 + c]! -= s00;
      a[a0 + c + 1]! -= s01;
      a[a0 + c + 2]! -= s02;
      a[a0 + c + 3]! -= s03;
      a[a1 + c]! -= s10;
      a[a1 + c + 1]! -= s11;
      a[a1 + c + 2]! -= s12;
      a[a1 + c + 3]! -= s13;
    }
    for (; c < n; c++) {
      const qc = c * K;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < K; k++) {
        const y = q[qc + k]!;
        s0 += p[p0 + k]! * y;
        s1 += p[p1 + k]! * y;
      }
      a[a0 + c]! -= s0;
      a[a1 + c]! -= s1;
    }
  }
  if (r < n) {
    let s = 0;
    for (let k = 0; k < K; k++) s += p[r * K + k]! * q[r * K + k]!;
    a[r * n + r]! -= s;
  }
}
