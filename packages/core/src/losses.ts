import { ShapeError, UnknownNameError } from './errors';
import { tf, type Tensor } from './tf';

/**
 * A loss maps network outputs `g` [batch, k] and targets to per-example losses [batch].
 * Targets: class indices (int32 [batch]) for cross-entropy; reals [batch, k] for the square loss;
 * ±1 [batch] for the logistic loss.
 */
export interface Loss {
  readonly name: LossName;
  readonly targets: 'class' | 'real' | 'sign';
  perExample(output: Tensor, target: Tensor): Tensor;
}

export type LossName = 'softmax-cross-entropy' | 'square' | 'logistic';
export type Reduction = 'none' | 'mean';

function asColumn(output: Tensor, target: Tensor, loss: string): [Tensor, Tensor] {
  const g = output.rank === 1 ? tf.expandDims(output, 1) : output;
  const y = target.rank === 1 ? tf.reshape(target, [target.shape[0]!, 1]) : target;
  if (g.shape[0] !== y.shape[0] || g.shape[1] !== y.shape[1]) {
    throw new ShapeError(`${loss}: outputs [${output.shape}] and targets [${target.shape}] do not match`);
  }
  return [g, y];
}

const losses: Record<LossName, Loss> = {
  /** −log softmax(g)_y. */
  'softmax-cross-entropy': {
    name: 'softmax-cross-entropy',
    targets: 'class',
    perExample(output, target) {
      const classes = output.shape[output.shape.length - 1]!;
      const oneHot = tf.oneHot(tf.cast(target, 'int32'), classes);
      return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(output)), -1));
    },
  },
  /** ½‖g − y‖² per example (summed over outputs). */
  square: {
    name: 'square',
    targets: 'real',
    perExample(output, target) {
      const [g, y] = asColumn(output, target, 'square');
      return tf.mul(0.5, tf.sum(tf.square(tf.sub(g, y)), -1));
    },
  },
  /** log(1 + exp(−y·g)) for a single output g and y ∈ {−1, +1}, computed as softplus(−y·g). */
  logistic: {
    name: 'logistic',
    targets: 'sign',
    perExample(output, target) {
      const [g, y] = asColumn(output, target, 'logistic');
      if (g.shape[1] !== 1) throw new ShapeError(`logistic loss needs a single output, got ${g.shape[1]}`);
      return tf.reshape(tf.softplus(tf.neg(tf.mul(y, g))), [g.shape[0]!]);
    },
  },
};

export const lossNames = Object.keys(losses) as LossName[];

export function resolveLoss(name: LossName | string | Loss): Loss {
  if (typeof name !== 'string') return name;
  const loss = (losses as Record<string, Loss>)[name];
  if (loss === undefined) throw new UnknownNameError('LOSS_UNKNOWN', 'loss', name, lossNames);
  return loss;
}

/** Per-example losses, or their mean. */
export function computeLoss(loss: Loss | LossName, output: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const perExample = resolveLoss(loss).perExample(output, target);
  return reduction === 'mean' ? tf.mean(perExample) : perExample;
}
