import { ConfigError, lossLabel, resolveLoss, tf, type Dataset, type Loss, type LossName, type LossSpec } from '@overparam/core';
import { dataSetTask } from '@overparam/data';

/**
 * The loss of a config that names none, by what the data set's targets are: the papers'
 * cross-entropy on class labels, the square loss on real targets.
 */
export const DEFAULT_LOSS_BY_TASK: Readonly<Record<Dataset['task'], LossName>> = { classification: 'softmax-cross-entropy', regression: 'square' };

/** The default loss of data set `data` (a registry name), known before it loads. */
export function defaultLoss(data: string): LossName {
  return DEFAULT_LOSS_BY_TASK[dataSetTask(data)];
}

/**
 * Pairs a loss with a data set: which targets it sees and how many outputs the model needs.
 * The square loss on class labels regresses onto one-hot vectors (as in Du et al.'s experiments),
 * so every classification set also works with it, and accuracy is still measured on the labels.
 */
export function lossForData(spec: LossSpec, data: Dataset): { loss: Loss; outputDim: number } {
  const loss = resolveLoss(spec);
  const name = lossLabel(loss);
  if (data.task === 'regression') {
    if (loss.targets === 'real') return { loss, outputDim: data.targetDim ?? 1 };
    throw new ConfigError('loss', `'${name}' needs class labels, but data set '${data.name}' is a regression task; use 'square'`);
  }
  const classes = data.numClasses;
  if (classes === undefined) throw new ConfigError('data', `data set '${data.name}' is a classification task but does not say how many classes it has`);
  if (loss.targets === 'class') return { loss, outputDim: classes };
  if (loss.targets === 'real') return { loss: oneHotTargets(loss, classes), outputDim: classes };
  throw new ConfigError('loss', `'${name}' needs ±1 targets and one output, but data set '${data.name}' has ${classes} classes; use 'softmax-cross-entropy' or 'square'`);
}

function oneHotTargets(loss: Loss, classes: number): Loss {
  return {
    // Everything the loss says of itself (its name, lp's exponent) stays as it is.
    ...loss,
    // It consumes class labels, which is what the training loop and `evaluate` check for.
    targets: 'class',
    perExample: (output, labels) => loss.perExample(output, tf.cast(tf.oneHot(tf.cast(labels, 'int32'), classes), 'float32')),
  };
}
