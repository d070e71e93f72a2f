import { gaussianExpectation2d, type QuadratureRule } from '@overparam/core';

/**
 * The Gaussian expectations the population Gram recursions are built from (Du et al. (2019),
 * eqs. 22–25): E[σ(u)σ(v)], E[σ′(u)σ′(v)] under N(0, Λᵢⱼ(K)) and the mean of σ, per activation.
 * Its own file so that the fully connected recursion (population-gram.ts) and the ResNet's
 * (resnet-gram.ts) both build on it without importing each other.
 */
export type PopulationActivation = 'relu' | 'identity' | 'tanh' | 'sigmoid' | 'softplus';
export const populationActivations: readonly PopulationActivation[] = ['relu', 'identity', 'tanh', 'sigmoid', 'softplus'];
type Pair = (a: number, b: number, c: number) => number;
export interface Expectations {
  readonly cSigma: number;
  /** μ(k) = E_{z~N(0,k)}[σ(z)], the mean of an activation (the ResNet's recursion needs it). */
  readonly mean: (k: number) => number;
  /** E[σ(u)σ(v)] and E[σ′(u)σ′(v)] under N(0, [[a, b], [b, c]]). */
  readonly value: Pair;
  readonly derivative: Pair;
  readonly method: 'closed-form' | 'quadrature';
}

function arcCosAngle(a: number, b: number, c: number): number {
  // Clamp: rounding can put |b|/√(ac) a hair above 1 for parallel inputs.
  return Math.acos(Math.min(1, Math.max(-1, b / Math.sqrt(a * c))));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const smooth: Record<'tanh' | 'sigmoid' | 'softplus', { f: (x: number) => number; df: (x: number) => number }> = {
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2 },
  sigmoid: { f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)) },
  // log(1 + eˣ) without overflow for large x.
  softplus: { f: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))), df: sigmoid },
};

export function expectations(activation: PopulationActivation, rule: () => QuadratureRule): Expectations {
  if (activation === 'relu') {
    return {
      cSigma: 2,
      mean: (k) => Math.sqrt(k / (2 * Math.PI)),
      value: (a, b, c) => {
        const t = arcCosAngle(a, b, c);
        return (Math.sqrt(a * c) * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
      },
      derivative: (a, b, c) => (Math.PI - arcCosAngle(a, b, c)) / (2 * Math.PI),
      method: 'closed-form',
    };
  }
  if (activation === 'identity') return { cSigma: 1, mean: () => 0, value: (_a, b) => b, derivative: () => 1, method: 'closed-form' };
  const fns = smooth[activation];
  const r = rule();
  let second = 0;
  for (let k = 0; k < r.nodes.length; k++) second += r.weights[k]! * fns.f(r.nodes[k]!) ** 2;
  return {
    cSigma: 1 / second,
    mean: (k) => {
      let m = 0;
      for (let i = 0; i < r.nodes.length; i++) m += r.weights[i]! * fns.f(Math.sqrt(k) * r.nodes[i]!);
      return m;
    },
    value: (a, b, c) => gaussianExpectation2d(fns.f, fns.f, { a, b, c }, r),
    derivative: (a, b, c) => gaussianExpectation2d(fns.df, fns.df, { a, b, c }, r),
    method: 'quadrature',
  };
}

/** Applies `pair` to every Λᵢⱼ(K): out_ij = scale · weight_ij · pair(Kᵢᵢ, Kᵢⱼ, Kⱼⱼ). */
export function pairwise(k: Float64Array, n: number, scale: number, pair: Pair, weightByK: boolean): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const kij = k[i * n + j]!;
      const v = scale * (weightByK ? kij : 1) * pair(k[i * n + i]!, kij, k[j * n + j]!);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

