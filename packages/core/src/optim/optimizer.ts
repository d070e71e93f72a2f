import { ConfigError, UnknownNameError } from '../errors';
import { tf, type Tensor, type Variable } from '../tf';

/**
 * One optimizer interface for our SGD and TF.js's adaptive methods. `step` receives the gradient
 * of each trainable variable and the learning rate for this step (schedules live outside).
 */
export interface Optimizer {
  readonly name: string;
  step(variables: readonly Variable[], grads: readonly Tensor[], learningRate: number): void;
  dispose(): void;
}

export type OptimizerSpec =
  | { readonly name: 'sgd'; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number }
  | { readonly name: 'adam'; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly name: 'adagrad'; readonly initialAccumulatorValue?: number }
  | { readonly name: 'adadelta'; readonly rho?: number; readonly epsilon?: number };

export const optimizerNames = ['sgd', 'adam', 'adagrad', 'adadelta'] as const;

/**
 * SGD, w ← w − α·v with v = g + λw (weight decay λ, default 0) or, with momentum μ > 0 (default 0),
 * v ← μ·v + (g + λw), using v (or g + μ·v with Nesterov) as the step direction.
 */
export function sgd(options: { momentum?: number; nesterov?: boolean; weightDecay?: number } = {}): Optimizer {
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  if (!(momentum >= 0 && momentum < 1)) throw new ConfigError('optimizer.momentum', `must be in [0, 1), got ${momentum}`);
  if (!(weightDecay >= 0)) throw new ConfigError('optimizer.weightDecay', `must be ≥ 0, got ${weightDecay}`);
  const velocity = new Map<Variable, Variable>();
  // The scalars live across steps: a JS number in tf.mul becomes a new tensor on every call, and on
  // the node backend those uploads cost more than the multiplies (MLP-3-100: 155 → 208 steps/s).
  const scalars = new Map<string, { value: number; tensor: Tensor }>();
  const scalar = (key: string, value: number): Tensor => {
    const held = scalars.get(key);
    if (held !== undefined && held.value === value) return held.tensor;
    held?.tensor.dispose();
    const tensor = tf.keep(tf.scalar(value));
    scalars.set(key, { value, tensor });
    return tensor;
  };
  return {
    name: 'sgd',
    step(variables, grads, learningRate) {
      tf.tidy(() => {
        const lr = scalar('lr', learningRate);
        const decay = weightDecay > 0 ? scalar('weightDecay', weightDecay) : undefined;
        const mu = momentum > 0 ? scalar('momentum', momentum) : undefined;
        variables.forEach((v, i) => {
          let g = grads[i]!;
          if (decay !== undefined) g = tf.add(g, tf.mul(decay, v));
          if (mu !== undefined) {
            let buf = velocity.get(v);
            if (buf === undefined) {
              buf = tf.variable(tf.zerosLike(v), false);
              velocity.set(v, buf);
            }
            buf.assign(tf.add(tf.mul(mu, buf), g));
            g = options.nesterov === true ? tf.add(g, tf.mul(mu, buf)) : buf;
          }
          v.assign(tf.sub(v, tf.mul(lr, g)));
        });
      });
    },
    dispose() {
      for (const buf of velocity.values()) buf.dispose();
      velocity.clear();
      for (const { tensor } of scalars.values()) tensor.dispose();
      scalars.clear();
    },
  };
}

type TfOptimizer = tf.Optimizer & { learningRate: number };

/** Wraps a TF.js optimizer so the learning rate can follow our schedule step by step. */
function wrapTfOptimizer(name: string, make: () => tf.Optimizer): Optimizer {
  const inner = make() as TfOptimizer;
  return {
    name,
    step(variables, grads, learningRate) {
      inner.learningRate = learningRate;
      const named: Record<string, Tensor> = {};
      variables.forEach((v, i) => (named[v.name] = grads[i]!));
      inner.applyGradients(named);
    },
    dispose: () => inner.dispose(),
  };
}

export function createOptimizer(spec: OptimizerSpec | { name: string }): Optimizer {
  switch (spec.name) {
    case 'sgd':
      return sgd(spec as Extract<OptimizerSpec, { name: 'sgd' }>);
    case 'adam': {
      const s = spec as Extract<OptimizerSpec, { name: 'adam' }>;
      return wrapTfOptimizer('adam', () => tf.train.adam(0.001, s.beta1, s.beta2, s.epsilon));
    }
    case 'adagrad': {
      const s = spec as Extract<OptimizerSpec, { name: 'adagrad' }>;
      return wrapTfOptimizer('adagrad', () => tf.train.adagrad(0.01, s.initialAccumulatorValue));
    }
    case 'adadelta': {
      const s = spec as Extract<OptimizerSpec, { name: 'adadelta' }>;
      return wrapTfOptimizer('adadelta', () => tf.train.adadelta(1, s.rho, s.epsilon));
    }
    default:
      throw new UnknownNameError('OPTIMIZER_UNKNOWN', 'optimizer', spec.name, optimizerNames);
  }
}
