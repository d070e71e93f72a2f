import { OverparamError } from '@overparam/core';

/**
 * A per-example gradient asked of a model whose batch-norm runs in training mode. Batch
 * statistics make every example's output depend on the whole batch, so "the gradient of example
 * i" is not defined; there are two well-defined things to measure instead.
 */
export class BatchNormTrainingError extends OverparamError {
  constructor(what: string) {
    super(
      'METRIC_UNSUPPORTED',
      `${what} needs per-example gradients, but the model has batch-norm in training mode, where each example's ` +
        'output depends on its whole batch. Choose one: (1) evaluation-mode statistics (training: false; batch-norm ' +
        'uses its running mean and variance, so examples are independent), or (2) minibatch groups (groups: [...]; each ' +
        'group is forwarded as one batch, as in training, and G compares the groups’ mean-loss gradients).',
    );
  }
}

/** The fast path was asked for explicitly and cannot handle this model. */
export class GramUnsupportedError extends OverparamError {
  constructor(reason: string) {
    super('METRIC_UNSUPPORTED', `the fast Gram path cannot handle this model: ${reason}; use method: 'loop' (or 'auto', which falls back to it)`);
  }
}
