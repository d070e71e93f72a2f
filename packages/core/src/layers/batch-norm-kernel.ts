import { tf, type Tensor } from '../tf';

/**
 * Batch norm's training mode as a named tfjs kernel, for backends with a fused native op
 * (`BackendTraits.batchNormTraining` = `kernel`; the node plugin registers TensorFlow's
 * FusedBatchNormV3 under this name). tfjs's habit: the op is a name, each backend registers its
 * kernel, and the gradient is registered once, here, by name too.
 *
 * Contract. Inputs `x` (channels last, any rank ≥ 2), `scale` (γ) and `offset` (β); attribute
 * `epsilon`. Outputs: y, the batch mean, the biased batch variance (what the layer's running
 * averages are made from), then any tensors the backend keeps for its gradient, which come back
 * to BATCH_NORM_TRAINING_GRAD as `saved0`, `saved1`, … That kernel takes `dy`, `x`, `scale` and
 * those, and returns ∂L/∂x, ∂L/∂γ and ∂L/∂β.
 */
export const BATCH_NORM_TRAINING = 'OverparamBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'OverparamBatchNormTrainingGrad';

/** Outputs of BATCH_NORM_TRAINING before the backend's own. */
const OWN_OUTPUTS = 3;
/** Most tensors a backend may keep for the gradient (TensorFlow's op keeps three). */
const MAX_SAVED = 4;

let gradientRegistered = false;

function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'scale'],
    outputsToSave: Array.from({ length: OWN_OUTPUTS + MAX_SAVED }, (_, i) => i >= OWN_OUTPUTS),
    gradFunc: (dy, saved, attrs) => {
      const [x, scale, ...kept] = saved as Tensor[];
      const inputs: Record<string, Tensor> = { dy: Array.isArray(dy) ? dy[0]! : dy, x: x!, scale: scale! };
      kept.forEach((t, i) => (inputs[`saved${i}`] = t));
      // One kernel gives all three; computed here, not in the per-input closures (each runs in its own tidy).
      const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, inputs, attrs as never) as Tensor[];
      return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
    },
  });
}

/** y, the batch mean and the biased batch variance of `x` by the active backend's kernel. */
export function batchNormTrainingKernel(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  registerGradient();
  const [y, mean, variance, ...kept] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, scale: gamma, offset: beta }, { epsilon }) as Tensor[];
  // The tape holds its own references to what the gradient needs; outside a tidy these would leak.
  for (const t of kept) t.dispose();
  return { y: y!, mean: mean!, variance: variance! };
}
