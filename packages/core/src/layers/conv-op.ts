import { activeBackendTraits } from '../backend/registry';
import { tf, type Tensor } from '../tf';
import { axisGeometry, type ConvPadding } from './conv-geometry';

type T4 = tf.Tensor4D;

/**
 * A 2-D convolution (NHWC input, [k, k, inC, outC] kernel) whose backward pass on wasm and cpu
 * is built from forward convolutions.
 *
 * tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel at all (the weight gradient throws
 * "not registered"), and its Conv2DBackpropInput is a plain loop: measured here at batch 128 on
 * 32×32×32 → 32 channels, 3×3, stride 1, the forward conv took ~0.2–0.3 s and the input gradient
 * ~3.5 s, 15× the ~0.24 s of the rewrite below; with stride 2 (→ 64 channels) ~1.5 s against
 * ~0.6 s. Both gradients are therefore expressed as forward convolutions, which wasm runs with
 * XNNPACK:
 *
 * - input gradient: the "full" correlation of the output gradient (zeros inserted between rows
 *   and columns when the stride is > 1) with the kernel rotated by 180° and its channel axes
 *   swapped;
 * - weight gradient: dW[a,b,c,o] = Σ_{n,i,j} xpad[n, a+i·s, b+j·s, c]·dy[n,i,j,o], a convolution
 *   of x with channels and batch swapped ([C, H, W, N]) by dy as a kernel ([oh, ow, N, O]) dilated
 *   by the stride (~0.8 s in the case above, where tfjs has nothing to compare against).
 *
 * The cpu backend has both gradient kernels, but its Conv2DBackpropFilter is slower still: a
 * forward and backward pass at batch 8 on 32×32×32 → 32 channels took ~23 s natively and ~1.1 s
 * through this route (batch 32 on 16×16: ~18 s against ~0.95 s), so cpu takes the route too.
 * Native backends (tfjs-node, WebGL, WebGPU) have fast gradients and use tf.conv2d directly.
 */

/** dy with stride − 1 zero rows and columns inserted between its own: [n, (h−1)s+1, (w−1)s+1, c]. */
function dilate(dy: Tensor, stride: number): T4 {
  if (stride === 1) return dy as T4;
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const spread = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, stride - 1], [0, 0], [0, stride - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [n, h * stride, w * stride, c]), [0, 0, 0, 0], [n, (h - 1) * stride + 1, (w - 1) * stride + 1, c]) as T4;
}

function inputGradient(dy: Tensor, w: Tensor, xShape: readonly number[], stride: number, padding: ConvPadding): Tensor {
  const [k, , inC, outC] = w.shape as [number, number, number, number];
  // Rotating by 180° reverses the flattened k·k positions; a gather does that far faster than
  // tf.reverse on cpu (140 ms for the tiny WRN's kernels, most of its training step).
  const flipped = tf.gather(tf.reshape(w, [k * k, inC * outC]), tf.range(k * k - 1, -1, -1, 'int32'));
  const rotated = tf.transpose(tf.reshape(flipped, [k, k, inC, outC]), [0, 1, 3, 2]) as T4;
  const pads = [1, 2].map((axis) => {
    const g = axisGeometry(xShape[axis]!, k, stride, padding);
    return [k - 1 - g.padBefore, g.size + g.padBefore - (g.out - 1) * stride - 1] as [number, number];
  });
  return tf.conv2d(dilate(dy, stride), rotated, 1, [[0, 0], pads[0]!, pads[1]!, [0, 0]]);
}

function weightGradient(x: Tensor, dy: Tensor, w: Tensor, stride: number, padding: ConvPadding): Tensor {
  const [k, , inC, outC] = w.shape as [number, number, number, number];
  const pads = [1, 2].map((axis) => {
    const g = axisGeometry(x.shape[axis]!, k, stride, padding);
    return [g.padBefore, g.padAfter] as [number, number];
  });
  const swapped = tf.transpose(x, [3, 1, 2, 0]) as T4;
  const kernel = tf.transpose(dy, [1, 2, 0, 3]) as T4;
  const full = tf.conv2d(swapped, kernel, 1, [[0, 0], pads[0]!, pads[1]!, [0, 0]], 'NHWC', stride);
  // Without padding the window can fit more than k positions (e.g. 1×1 with stride 2 on an even size).
  const exact = full.shape[1] === k && full.shape[2] === k ? full : tf.slice(full, [0, 0, 0, 0], [inC, k, k, outC]);
  return tf.transpose(exact, [1, 2, 0, 3]);
}

const routed = new Map<string, (x: Tensor, w: Tensor) => Tensor>();

function routedConv(stride: number, padding: ConvPadding): (x: Tensor, w: Tensor) => Tensor {
  const key = `${stride}/${padding}`;
  let op = routed.get(key);
  if (op === undefined) {
    op = tf.customGrad((...args: unknown[]) => {
      const [x, w, save] = args as [Tensor, Tensor, (tensors: Tensor[]) => void];
      save([x, w]);
      return {
        value: tf.conv2d(x as T4, w as T4, stride, padding),
        gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
          const [xs, ws] = saved as [Tensor, Tensor];
          const g = dy as Tensor;
          return [inputGradient(g, ws, xs.shape, stride, padding), weightGradient(xs, g, ws, stride, padding)];
        },
      };
    }) as (x: Tensor, w: Tensor) => Tensor;
    routed.set(key, op);
  }
  return op;
}

/** `conv2d(x, w)` for training: with the backward pass above where the backend asks for it (`convGradient`), elsewhere tf.conv2d. */
export function conv2dForTraining(x: Tensor, w: Tensor, stride: number, padding: ConvPadding): Tensor {
  if (activeBackendTraits().convGradient === 'forward-rewrite') return routedConv(stride, padding)(x, w);
  return tf.conv2d(x as T4, w as T4, stride, padding);
}
