import { UnknownNameError } from '../errors';
import { tf, type Tensor } from '../tf';
import type { Layer } from './types';

/** Elementwise nonlinearities by name; each is a parameter-free layer. */
const activations = {
  identity: (x: Tensor) => x,
  tanh: (x: Tensor) => tf.tanh(x),
  relu: (x: Tensor) => tf.relu(x),
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
