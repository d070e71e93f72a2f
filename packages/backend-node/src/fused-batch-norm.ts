import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, tf, type Tensor } from '@overparam/core';

/**
 * Batch norm's training mode on TensorFlow's fused kernels (FusedBatchNormV3 and its gradient):
 * one kernel each way, where the portable op (core's batch-norm-op.ts) needs about six passes
 * forward and seven back over the activations, plus the small per-channel ops around them.
 * Registered under core's kernel names (`BackendTraits.batchNormTraining` = `kernel`).
 */

/** The parts of tfjs-node's backend object used here (it runs any TensorFlow op by name). */
interface TensorflowBackend {
  readonly binding: { readonly TF_ATTR_TYPE: number; readonly TF_ATTR_FLOAT: number; readonly TF_ATTR_STRING: number; readonly TF_ATTR_BOOL: number; readonly TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: ReadonlyArray<{ name: string; type: number; value: unknown }>, inputs: Tensor[], numOutputs: number): Tensor[];
}

/** The attributes both ops take; the forward op also takes `exponential_avg_factor` (1: the batch's own statistics). */
function attrsOf(backend: TensorflowBackend, epsilon: number, forward: boolean): Array<{ name: string; type: number; value: unknown }> {
  const b = backend.binding;
  return [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'U', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
    ...(forward ? [{ name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: 1 }] : []),
  ];
}

/** x as NHWC: a rank-4 input as it is, any other as [values per channel, 1, 1, channels] (the statistics are over every axis but the last either way). */
function asNhwc(x: Tensor): Tensor {
  if (x.rank === 4) return x;
  const channels = x.shape[x.rank - 1]!;
  return tf.reshape(x, [x.size / channels, 1, 1, channels]);
}

export function registerFusedBatchNorm(): void {
  if (tf.getKernel(BATCH_NORM_TRAINING, 'tensorflow') !== undefined) return;
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAINING,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, scale, offset } = inputs as { x: Tensor; scale: Tensor; offset: Tensor };
      const epsilon = (attrs as { epsilon: number }).epsilon;
      return tf.tidy(() => {
        const tfBackend = backend as unknown as TensorflowBackend;
        const empty = tf.tensor1d([]);
        // Outputs: y, batch mean, batch variance (Bessel-corrected, for running averages), and three reserve spaces for the gradient.
        const [y, mean, unbiased, ...reserve] = tfBackend.executeMultipleOutputs('FusedBatchNormV3', attrsOf(tfBackend, epsilon, true), [asNhwc(x), scale, offset, empty, empty], 6);
        const count = x.size / x.shape[x.rank - 1]!;
        const variance = count > 1 ? tf.mul(unbiased!, (count - 1) / count) : unbiased!;
        return [tf.reshape(y!, x.shape), mean!, variance, ...reserve];
      });
    },
  });
  tf.registerKernel({
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName: 'tensorflow',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, scale, saved0, saved1, saved2 } = inputs as Record<string, Tensor>;
      const epsilon = (attrs as { epsilon: number }).epsilon;
      return tf.tidy(() => {
        const tfBackend = backend as unknown as TensorflowBackend;
        const [dx, dScale, dOffset] = tfBackend.executeMultipleOutputs('FusedBatchNormGradV3', attrsOf(tfBackend, epsilon, false), [asNhwc(dy!), asNhwc(x!), scale!, saved0!, saved1!, saved2!], 5);
        return [tf.reshape(dx!, x!.shape), dScale!, dOffset!];
      });
    },
  });
}
