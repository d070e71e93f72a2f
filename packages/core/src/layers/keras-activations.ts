import { UnknownNameError } from '../errors';
import { tf, type Tensor } from '../tf';
import type { Layer } from './types';

/**
 * Elementwise nonlinearities that imported Keras / TF.js Layers models use beyond core's own
 * (`activation.ts`). They are kept out of `activationNames` on purpose: those names are options of
 * the native architectures, and the Du et al. nets need a Gaussian expectation for each of them.
 * Each matches tfjs-layers' definition (ELU with α = 1, SELU's fixed constants, GELU by erf).
 */
const kerasActivations = {
  elu: (x: Tensor) => tf.elu(x),
  selu: (x: Tensor) => tf.selu(x),
  gelu: (x: Tensor) => tf.mul(x, tf.mul(0.5, tf.add(1, tf.erf(tf.div(x, Math.SQRT2))))),
} as const;

export type KerasActivationName = keyof typeof kerasActivations;
export const kerasActivationNames = Object.keys(kerasActivations) as KerasActivationName[];

export function kerasActivation(name: KerasActivationName | string): Layer {
  const fn = (kerasActivations as Record<string, (x: Tensor) => Tensor>)[name];
  if (fn === undefined) throw new UnknownNameError('ACTIVATION_UNKNOWN', 'activation', name, kerasActivationNames);
  return {
    kind: name,
    init: (_rng, inputShape) => ({ params: {}, state: {}, outputShape: inputShape }),
    apply: (_params, x) => fn(x),
  };
}
