import { activeBackendTraits } from '../backend/registry';
import { tf, type Tensor } from '../tf';

/**
 * `x · w` whose backward pass uses explicit transposes.
 *
 * tfjs's own matMul gradient calls matMul with transposeA/transposeB, which the wasm backend runs
 * about 8–14× slower than a transpose followed by a plain matMul (measured here: 128×1000 by
 * 1000×1000 took 213 ms with transposeB against 15 ms plain and 33 ms with an explicit transpose).
 * Backends declare which route they want (`BackendTraits.matMulGradient`); those that handle
 * the transposed forms natively keep tfjs's own gradient.
 */
/** The transpose of a matrix, or of each matrix in a stack (replicas' `[R, in, out]` weights). */
const transposeMatrices = (t: Tensor): Tensor => (t.rank === 2 ? tf.transpose(t) : tf.transpose(t, [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : 2 * all.length - 3 - i))));

const matMulExplicitTransposeGrad = tf.customGrad((...args: unknown[]) => {
  const [x, w, save] = args as [Tensor, Tensor, (tensors: Tensor[]) => void];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const [xs, ws] = saved as [Tensor, Tensor];
      const g = dy as Tensor;
      return [tf.matMul(g, transposeMatrices(ws)), tf.matMul(transposeMatrices(xs), g)];
    },
  };
});

/** `x · w` for training: rank 2, or rank 3 for a stack of matrices (a batched matMul). */
export function matMulForTraining(x: Tensor, w: Tensor): Tensor {
  if (activeBackendTraits().matMulGradient === 'explicit-transpose') return matMulExplicitTransposeGrad(x, w);
  return tf.matMul(x, w);
}
