import { activationNames, gaussianExpectation, UnknownNameError } from '@overparam/core';

/** Float64 versions of core's activations, for quadrature (softplus written to not overflow). */
const scalarActivations: Record<string, (z: number) => number> = {
  identity: (z) => z,
  tanh: Math.tanh,
  relu: (z) => Math.max(z, 0),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  softplus: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))),
};

const cache = new Map<string, number>();

/**
 * c_σ = 1 / E_{z~N(0,1)}[σ(z)²] (Du et al. (2019), eq. 1), which keeps ‖x⁽ʰ⁾‖ ≈ ‖x‖ at initialization.
 * Closed forms where they exist (ReLU: E = 1/2, so c_σ = 2; identity: 1); otherwise quadrature.
 */
export function cSigma(activation: string): number {
  if (activation === 'relu') return 2;
  if (activation === 'identity') return 1;
  const f = scalarActivations[activation];
  if (f === undefined) throw new UnknownNameError('ACTIVATION_UNKNOWN', 'activation', activation, activationNames);
  let c = cache.get(activation);
  if (c === undefined) {
    c = 1 / gaussianExpectation((z) => f(z) ** 2);
    cache.set(activation, c);
  }
  return c;
}
