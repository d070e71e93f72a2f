import { ConfigError, ShapeError } from '../errors';
import { tf, type Tensor } from '../tf';
import { activeBackendTraits } from '../backend/registry';
import { batchNormTrainingKernel } from './batch-norm-kernel';
import { batchNormTraining } from './batch-norm-op';
import { isTensorLike, joinPath } from './context';
import type { ApplyContext, Layer, Shape } from './types';

export interface BatchNormOptions {
  /**
   * Weight of the old running statistic in each update: running ← momentum·running +
   * (1 − momentum)·batch. Default 0.9, the same average as torch's momentum 0.1 that the Wide
   * ResNet reference code uses.
   */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (torch's). */
  readonly epsilon?: number;
}

function stateTensor(ctx: ApplyContext, key: string): Tensor {
  const t = ctx.state[key];
  if (!isTensorLike(t)) throw new ShapeError(`batchNorm at '${ctx.path}' has no running '${key}' in its state; apply it through a model built from its init`);
  return t;
}

/** Replaces an update already collected for `path` (a layer applied twice keeps the last). */
function record(updates: Map<string, Tensor>, path: string, value: Tensor): void {
  updates.get(path)?.dispose();
  // The update is made inside tfjs's gradient tidy, which would dispose it; the model disposes it on commit.
  updates.set(path, tf.keep(value));
}

/**
 * Batch normalization over every axis but the last (channels): y = γ·x̂ + β with
 * x̂ = (x − μ)/√(σ² + ε). Training mode uses the batch's mean and (biased) variance and, when the
 * context collects state updates, writes new running statistics under `<path>.mean` and
 * `<path>.variance` (the running variance averages the unbiased batch variance, as torch does).
 * Evaluation mode uses the running statistics, so each example's output depends on it alone.
 *
 * The tap reports x̂ as the input: that is what γ multiplies, so the per-example gradients are
 * Σ_positions Δ⊙x̂ for γ and Σ_positions Δ for β, as for an elementwise affine layer.
 */
export function batchNorm(options: BatchNormOptions = {}): Layer {
  const momentum = options.momentum ?? 0.9;
  const epsilon = options.epsilon ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1)) throw new ConfigError('batchNorm.momentum', `must be in [0, 1], got ${momentum}`);
  if (!(epsilon > 0)) throw new ConfigError('batchNorm.epsilon', `must be > 0, got ${epsilon}`);
  return {
    kind: 'batchNorm',
    options,
    init(_rng, inputShape: Shape) {
      if (inputShape.length === 0) throw new ShapeError('batchNorm needs inputs with a channel axis, got a scalar per example');
      const channels = inputShape[inputShape.length - 1]!;
      return {
        params: { gamma: tf.ones([channels]), beta: tf.zeros([channels]) },
        state: { mean: tf.zeros([channels]), variance: tf.ones([channels]) },
        outputShape: inputShape,
      };
    },
    apply(params, x, ctx) {
      const gamma = params.gamma as Tensor;
      const beta = params.beta as Tensor;
      const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
      /** New running averages from the batch's mean and biased variance, when the caller collects state updates. */
      const recordRunningStatistics = (mean: Tensor, variance: Tensor) => {
        if (ctx.stateUpdates === undefined) return;
        const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
        const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
        const blend = (running: Tensor, batch: Tensor) => tf.add(tf.mul(running, momentum), tf.mul(batch, 1 - momentum));
        record(ctx.stateUpdates, joinPath(ctx.path, 'mean'), blend(stateTensor(ctx, 'mean'), mean));
        record(ctx.stateUpdates, joinPath(ctx.path, 'variance'), blend(stateTensor(ctx, 'variance'), unbiased));
      };
      let y: Tensor;
      // x̂, what γ multiplies: only a tap reads it in training mode, where y is computed without it.
      let normalized: () => Tensor;
      if (ctx.training && activeBackendTraits().batchNormTraining === 'kernel') {
        const fused = batchNormTrainingKernel(x, gamma, beta, epsilon);
        y = fused.y;
        recordRunningStatistics(fused.mean, fused.variance);
        normalized = () => tf.mul(tf.sub(x, fused.mean), tf.rsqrt(tf.add(fused.variance, epsilon)));
      } else if (ctx.training) {
        const mean = tf.mean(x, axes);
        const centred = tf.sub(x, mean);
        const variance = tf.mean(tf.square(centred), axes);
        recordRunningStatistics(mean, variance);
        const invStd = tf.rsqrt(tf.add(variance, epsilon));
        y = batchNormTraining(x, centred, invStd, gamma, beta, axes);
        normalized = () => tf.mul(centred, invStd);
      } else {
        // The running statistics are constants here, so autodiff's backward pass is short.
        const xHat = tf.mul(tf.sub(x, stateTensor(ctx, 'mean')), tf.rsqrt(tf.add(stateTensor(ctx, 'variance'), epsilon)));
        y = tf.add(tf.mul(xHat, gamma), beta);
        normalized = () => xHat;
      }
      if (ctx.recorder === undefined) return y;
      return ctx.recorder.tap({
        path: ctx.path,
        kind: 'batchNorm',
        input: normalized(),
        output: y,
        params: { gamma, beta },
        paramPaths: { gamma: joinPath(ctx.path, 'gamma'), beta: joinPath(ctx.path, 'beta') },
        config: { momentum, epsilon, training: ctx.training, input: 'normalized' },
      });
    },
  };
}
