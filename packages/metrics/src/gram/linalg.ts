import { activeBackendTraits, tf, type Tensor } from '@overparam/core';

/**
 * Row products A·Bᵀ of features [m, d] and [m', d] → [m, m'] as float64, where they are cheapest.
 *
 * Measured here for 1024×784 · (1024×784)ᵀ: the wasm backend takes 260 ms in float32 (1250 ms with
 * matMul's transposeB flag, hence the explicit transpose), plain JS takes 1160–2070 ms in float64;
 * the cpu backend (tfjs's own JS kernels) takes 2.8–5.6 s in float32, slower than plain JS in
 * float64 (1.3 s). So on `cpu` the products are done in JS, in float64, and on every other
 * backend by the backend in float32 (each entry then within ~d·2⁻²⁴·‖a_i‖‖b_j‖ of the exact
 * value; we saw 1.5e-6 relative to the diagonal at d = 784).
 */
export async function rowProducts(a: Tensor, b: Tensor): Promise<Float64Array> {
  if (activeBackendTraits().gramProducts === 'host-float64') {
    const av = (await a.data()) as Float32Array;
    const bv = a === b ? av : ((await b.data()) as Float32Array);
    return jsRowProducts(av, bv, a.shape[0]!, b.shape[0]!, a.shape[1]!, a === b);
  }
  const product = tf.tidy(() => tf.matMul(a as tf.Tensor2D, tf.transpose(b as tf.Tensor2D)));
  try {
    return Float64Array.from((await product.data()) as Float32Array);
  } finally {
    product.dispose();
  }
}

/**
 * (A_p·A_qᵀ + c) ⊙ (D_p·D_qᵀ), the dense-layer block: on `cpu` both products and the Hadamard
 * product in float64 JS; elsewhere all three on the backend in float32 and one read-back (the
 * elementwise product adds one float32 rounding, 2⁻²⁴ relative, to the products' own error).
 */
export async function hadamardProducts(ap: Tensor, aq: Tensor, dp: Tensor, dq: Tensor, c: number): Promise<Float64Array> {
  if (activeBackendTraits().gramProducts === 'host-float64') {
    const dd = await rowProducts(dp, dq);
    const aa = await rowProducts(ap, aq);
    for (let i = 0; i < dd.length; i++) dd[i] = (aa[i]! + c) * dd[i]!;
    return dd;
  }
  const product = tf.tidy(() => {
    const aa = tf.matMul(ap as tf.Tensor2D, tf.transpose(aq as tf.Tensor2D));
    return tf.mul(c === 0 ? aa : tf.add(aa, c), tf.matMul(dp as tf.Tensor2D, tf.transpose(dq as tf.Tensor2D)));
  });
  try {
    return Float64Array.from((await product.data()) as Float32Array);
  } finally {
    product.dispose();
  }
}

function jsRowProducts(a: Float32Array, b: Float32Array, m: number, mb: number, d: number, symmetric: boolean): Float64Array {
  const out = new Float64Array(m * mb);
  for (let i = 0; i < m; i++) {
    const oi = i * d;
    for (let j = symmetric ? i : 0; j < mb; j++) {
      const oj = j * d;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      // Two accumulators: independent adds pipeline better in V8's JIT.
      for (; k + 1 < d; k += 2) {
        s0 += a[oi + k]! * b[oj + k]!;
        s1 += a[oi + k + 1]! * b[oj + k + 1]!;
      }
      if (k < d) s0 += a[oi + k]! * b[oj + k]!;
      out[i * mb + j] = s0 + s1;
      if (symmetric) out[j * mb + i] = s0 + s1;
    }
  }
  return out;
}

/** Flattens every axis after the first: [m, ...] → [m, d]. */
export function asRows(t: Tensor): Tensor {
  return t.rank === 2 ? t : tf.reshape(t, [t.shape[0]!, -1]);
}
