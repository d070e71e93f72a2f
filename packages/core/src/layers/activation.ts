import { UnknownNameError } from '../errors';
import { tf, type Tensor } from '../tf';
import type { Layer } from './types';

/**
 * ReLU whose gradient is dy·sign(y), y = relu(x): two kernels. tfjs's own rule, dy·step(x), costs
 * six full-size kernels on the node backend (its Step is isNaN, greater, ones, fill and two selects),
 * 22 % of a WRN-16-2 training step there. Same values: sign(relu(x)) is 1 where x > 0, else 0.
 */
const relu = tf.customGrad((...args: unknown[]) => {
  const [x, save] = args as [Tensor, (tensors: Tensor[]) => void];
  const y = tf.relu(x);
  save([y]);
  return { value: y, gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => tf.mul(dy as Tensor, tf.sign(saved[0]!)) };
});

/** Elementwise nonlinearities by name; each is a parameter-free layer. */
const activations = {
  identity: (x: Tensor) => x,
  tanh: (x: Tensor) => tf.tanh(x),
  relu: (x: Tensor) => relu(x) as Tensor,
  sigmoid: (x: Tensor) => tf.sigmoid(x),
  softplus: (x: Tensor) => tf.softplus(x),
} as const;

export type ActivationName = keyof typeof activations;
export const activationNames = Object.keys(activations) as ActivationName[];

export function activationFn(name: string): (x: Tensor) => Tensor {
  const fn = (activations as Record<string, (x: Tensor) => Tensor>)[name];
  if (fn === undefined) throw new UnknownNameError('ACTIVATION_UNKNOWN', 'activation', name, activationNames);
  return fn;
}

export function activation(name: ActivationName | string): Layer {
  const fn = activationFn(name);
  return {
    kind: name,
    init: (_rng, inputShape) => ({ params: {}, state: {}, outputShape: inputShape }),
    apply: (_params, x) => fn(x),
  };
}
