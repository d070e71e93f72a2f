/**
 * A float64, plain-JS MLP: the independent oracle our tfjs MLPs are checked against. Weights
 * come as [w0 (in×out, row-major), b0, w1, b1, …] in the same [in, out] layout as core's dense.
 */
export type ReferenceActivation = 'identity' | 'tanh' | 'relu' | 'sigmoid' | 'softplus';
export type ReferenceLoss = 'softmax-cross-entropy' | 'square' | 'logistic' | { readonly name: 'lp'; readonly p: number };

const act: Record<ReferenceActivation, (v: number) => number> = {
  identity: (v) => v,
  tanh: Math.tanh,
  relu: (v) => Math.max(0, v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  softplus: (v) => (v > 30 ? v : Math.log1p(Math.exp(v))),
};

export interface ReferenceLayer {
  readonly inDim: number;
  readonly outDim: number;
  readonly w: Float64Array;
  readonly b?: Float64Array;
}

export function referenceForward(layers: readonly ReferenceLayer[], activation: ReferenceActivation, x: Float64Array): Float64Array {
  let h = x;
  layers.forEach((layer, li) => {
    const out = new Float64Array(layer.outDim);
    for (let j = 0; j < layer.outDim; j++) {
      let s = layer.b?.[j] ?? 0;
      for (let i = 0; i < layer.inDim; i++) s += h[i]! * layer.w[i * layer.outDim + j]!;
      out[j] = li < layers.length - 1 ? act[activation](s) : s;
    }
    h = out;
  });
  return h;
}

/** Mean loss over examples; targets are class indices, real vectors or ±1 as the loss needs. */
export function referenceLoss(
  layers: readonly ReferenceLayer[],
  activation: ReferenceActivation,
  loss: ReferenceLoss,
  inputs: readonly Float64Array[],
  targets: ReadonlyArray<number | Float64Array>,
): number {
  let total = 0;
  inputs.forEach((x, n) => {
    const g = referenceForward(layers, activation, x);
    const t = targets[n]!;
    if (loss === 'softmax-cross-entropy') {
      const m = Math.max(...g);
      const logZ = m + Math.log(g.reduce((s, v) => s + Math.exp(v - m), 0));
      total += logZ - g[t as number]!;
    } else if (loss === 'square') {
      const y = t as Float64Array;
      total += 0.5 * g.reduce((s, v, k) => s + (v - y[k]!) ** 2, 0);
    } else if (typeof loss === 'object') {
      // Arora et al.'s (2018) ℓp: (1/p)(ŷ − y)^p per output, summed over outputs.
      const y = t as Float64Array;
      total += g.reduce((s, v, k) => s + (v - y[k]!) ** loss.p, 0) / loss.p;
    } else {
      const z = -(t as number) * g[0]!;
      total += z > 30 ? z : Math.log1p(Math.exp(z));
    }
  });
  return total / inputs.length;
}
