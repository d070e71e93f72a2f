import { activeBackendTraits } from '../backend/registry';
import { tf, type Tensor } from '../tf';
import { axisGeometry, type ConvPadding } from './conv-geometry';

/*
 * Max pooling whose backward pass is written with plain tensor ops, for backends whose MaxPoolGrad
 * kernel is wrong: tfjs 4.22's wasm kernel drops the gradient of every window whose maximum is
 * negative (probed: a 2×2 pool of all-negative windows got 10, 0, 0, 0 where cpu gives 20, 10,
 * 30, 40, as if its running maximum started at 0), so on normal inputs its relative error against
 * finite differences is 0.6–1 (test/max-pool.test.ts). After a ReLU no maximum is negative, but a
 * layer must be right on any input. The forward pass stays tf.maxPool, which is right and fast.
 *
 * The gradient: pad x with −∞ (padding never wins, as in TensorFlow's 'same'), and for each of
 * the k² window offsets (a, b) in row-major order take the strided view
 * view_ab[n,i,j,c] = xpad[n, a + i·s, b + j·s, c]. The first view equal to the pooled output wins
 * its window (TensorFlow's tie rule: the first maximum in scan order) and receives dy there; the
 * winners' dy are scattered back to (a + i·s, b + j·s) and summed, which also handles overlapping
 * windows (s < k). All of it is rank 4: the wasm backend's Slice is ~100× slower on rank-6
 * tensors (measured 5 s against 50 ms for the same 25 MB).
 */

/** Rows start, start + s, … (`count` of them) of axis 1: viewed as [n, count, s, rest], the first of each s. */
function everySth(x: Tensor, start: number, count: number, stride: number): Tensor {
  const [n, , w, c] = x.shape as [number, number, number, number];
  const block = tf.slice(x, [0, start, 0, 0], [n, count * stride, w, c]);
  const rows = tf.slice(tf.reshape(block, [n, count, stride, w * c]), [0, 0, 0, 0], [n, count, 1, w * c]);
  return tf.reshape(rows, [n, count, w, c]);
}

/** The transpose of `everySth`: `g` [n, count, w, c] placed at rows start + i·s of a zero [n, total, w, c]. */
function scatterEverySth(g: Tensor, start: number, stride: number, total: number): Tensor {
  const [n, count, w, c] = g.shape as [number, number, number, number];
  const spread = tf.pad(tf.reshape(g, [n, count, 1, w * c]), [
    [0, 0],
    [0, 0],
    [0, stride - 1],
    [0, 0],
  ]);
  return tf.pad(tf.reshape(spread, [n, count * stride, w, c]), [
    [0, 0],
    [start, total - start - count * stride],
    [0, 0],
    [0, 0],
  ]);
}

const swapSpatial = (t: Tensor): Tensor => tf.transpose(t, [0, 2, 1, 3]);

function maxPoolInputGradient(x: Tensor, dy: Tensor, size: number, stride: number, padding: ConvPadding): Tensor {
  const [, h, w] = x.shape as [number, number, number, number];
  const rows = axisGeometry(h, size, stride, padding);
  const cols = axisGeometry(w, size, stride, padding);
  // Enough rows after the padding for the last offset's `out` strided rows: (k − 1) + s·out.
  const height = size - 1 + stride * rows.out;
  const width = size - 1 + stride * cols.out;
  const padded = tf.pad(
    x,
    [
      [0, 0],
      [rows.padBefore, height - h - rows.padBefore],
      [cols.padBefore, width - w - cols.padBefore],
      [0, 0],
    ],
    -Infinity,
  );
  const pooled = tf.maxPool(x as tf.Tensor4D, size, stride, padding);
  let open: Tensor = tf.onesLike(pooled);
  let grad: Tensor | undefined;
  for (let a = 0; a < size; a++) {
    const byRows = swapSpatial(everySth(padded, a, rows.out, stride));
    let rowGrad: Tensor | undefined;
    for (let b = 0; b < size; b++) {
      const view = swapSpatial(everySth(byRows, b, cols.out, stride));
      const wins = tf.mul(tf.cast(tf.equal(view, pooled), 'float32'), open);
      open = tf.sub(open, wins);
      const part = scatterEverySth(swapSpatial(tf.mul(dy, wins)), b, stride, width);
      rowGrad = rowGrad === undefined ? part : tf.add(rowGrad, part);
    }
    const part = scatterEverySth(swapSpatial(rowGrad!), a, stride, height);
    grad = grad === undefined ? part : tf.add(grad, part);
  }
  return tf.slice(grad!, [0, rows.padBefore, cols.padBefore, 0], x.shape as [number, number, number, number]);
}

const routed = new Map<string, (x: Tensor) => Tensor>();

/** tf.maxPool forward with the backward pass above. */
export function maxPoolWithOwnGradient(x: Tensor, size: number, stride: number, padding: ConvPadding): Tensor {
  const key = `${size}/${stride}/${padding}`;
  let op = routed.get(key);
  if (op === undefined) {
    op = tf.customGrad((...args: unknown[]) => {
      const [input, save] = args as [Tensor, (tensors: Tensor[]) => void];
      save([input]);
      return {
        value: tf.maxPool(input as tf.Tensor4D, size, stride, padding),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => [maxPoolInputGradient(saved[0]!, dy as Tensor, size, stride, padding)],
      };
    }) as (x: Tensor) => Tensor;
    routed.set(key, op);
  }
  return op(x);
}

/** tf.maxPool, with its own backward pass where the backend declares `maxPoolGradient: 'views'`. */
export function maxPoolForTraining(x: Tensor, size: number, stride: number, padding: ConvPadding): Tensor {
  if (activeBackendTraits().maxPoolGradient === 'views') return maxPoolWithOwnGradient(x, size, stride, padding);
  return tf.maxPool(x as tf.Tensor4D, size, stride, padding);
}
