import { activeBackendTraits } from '../backend/registry';
import { tf, type Tensor } from '../tf';
import { axisGeometry, type ConvPadding } from './conv-geometry';

/**
 * k×k max pooling of NHWC `x` written as an elementwise maximum of the k² strided views of the
 * padded input, one per window offset (a, b): view_ab[n,i,j,c] = xpad[n, a + i·s, b + j·s, c].
 * Every op here (pad, slice, reshape, maximum) has a gradient on every backend, and tf.maximum's
 * sends each output's gradient to the view that won, i.e. to the window's maximum: the gradient of
 * max pooling. Padding is −∞, so it never wins, as in TensorFlow's 'same'.
 *
 * Why: tfjs 4.22's wasm MaxPoolGrad kernel drops the gradient of every window whose maximum is
 * negative (probed: a 2×2 pool of all-negative windows got 10, 0, 0, 0 where cpu gives 20, 10, 30,
 * 40 — as if its running maximum started at 0), so on normal inputs the relative error against
 * finite differences is 0.6–1 (test/max-pool.test.ts). Its forward MaxPool is right. After a ReLU
 * no maximum is negative, but a layer must be right on any input; with k² = 4 views for the
 * tutorial's pool this route costs a few cheap elementwise ops.
 */
export function maxPoolByViews(x: Tensor, size: number, stride: number, padding: ConvPadding): Tensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const rows = axisGeometry(h, size, stride, padding);
  const cols = axisGeometry(w, size, stride, padding);
  // Enough rows after the padding for the last offset's `out` strided rows: (k − 1) + s·out.
  const padded = tf.pad(
    x,
    [
      [0, 0],
      [rows.padBefore, size - 1 + stride * rows.out - h - rows.padBefore],
      [cols.padBefore, size - 1 + stride * cols.out - w - cols.padBefore],
      [0, 0],
    ],
    -Infinity,
  );
  let result: Tensor | undefined;
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      // Rows a … a + s·out − 1, viewed as [out, s] and the first of each s kept: rows a + i·s.
      const block = tf.slice(padded, [0, a, b, 0], [n, stride * rows.out, stride * cols.out, c]);
      const grid = tf.reshape(block, [n, rows.out, stride, cols.out, stride, c]);
      const view = tf.reshape(tf.slice(grid, [0, 0, 0, 0, 0, 0], [n, rows.out, 1, cols.out, 1, c]), [n, rows.out, cols.out, c]);
      result = result === undefined ? view : tf.maximum(result, view);
    }
  }
  return result!;
}

/** tf.maxPool, or the strided-view rewrite where the backend declares `maxPoolGradient: 'views'`. */
export function maxPoolForTraining(x: Tensor, size: number, stride: number, padding: ConvPadding): Tensor {
  if (activeBackendTraits().maxPoolGradient === 'views') return maxPoolByViews(x, size, stride, padding);
  return tf.maxPool(x as tf.Tensor4D, size, stride, padding);
}
