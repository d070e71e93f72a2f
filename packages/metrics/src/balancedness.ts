import { OverparamError, type Hook, type HookSchedule, type Model } from '@overparam/core';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * Arora et al.'s (2018) diagnostics of a linear net x ↦ W_N⋯W_1·x: how far it is from balanced (eq. 7,
 * W_{j+1}ᵀW_{j+1} = W_jW_jᵀ, which Theorem 1 assumes and gradient flow preserves) and its
 * end-to-end matrix W_e = W_N⋯W_1 (eq. 5) with its singular values.
 */
export interface BalancednessPair {
  /** ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F (j is 1-based: the pair (W_j, W_{j+1})). */
  readonly distance: number;
  /** distance / ‖W_j‖_F² (on a balanced net ‖W_j‖_F² = ‖W_{j+1}‖_F²); null when W_j = 0. */
  readonly relative: number | null;
}

export interface Balancedness {
  /** One entry per consecutive pair, j = 1 … N − 1. */
  readonly pairs: readonly BalancednessPair[];
  /** max_j distance; null for a single matrix (N = 1), which has no pairs. */
  readonly maxDistance: number | null;
  /** max_j relative; null when no pair has one. */
  readonly maxRelative: number | null;
}

export interface EndToEnd {
  /** W_e = W_N⋯W_1, k × d, float64. */
  readonly matrix: Matrix;
  /** Its min(k, d) singular values, descending. */
  readonly singularValues: readonly number[];
}

/** The model is not a chain of weight matrices, so the deep-linear diagnostics do not apply. */
export class NotLinearChainError extends OverparamError {
  constructor(reason: string) {
    super('METRIC_UNSUPPORTED', `balancedness and the end-to-end matrix need a deep linear net (weight matrices only, each feeding the next): ${reason}; measure them on 'deep-linear' models`);
  }
}

/** Every parameter must be a matrix, as dense stores it: [in, out]. */
function checkMatrices(model: Pick<Model, 'parameters'>): void {
  if (model.parameters.length === 0) throw new NotLinearChainError('the model has no parameters');
  for (const p of model.parameters) {
    if (p.shape.length !== 2) throw new NotLinearChainError(`parameter '${p.path}' has shape [${p.shape.join(', ')}], not a matrix (biases, convolutions and batch-norm do not fit)`);
  }
}

/** The matrices from the parameters' values; each one's output width must be the next one's input width. */
function chainOf(model: Pick<Model, 'parameters'>, values: readonly ArrayLike<number>[]): Matrix[] {
  const matrices = model.parameters.map((p, i) => {
    const [inDim, outDim] = p.shape as [number, number];
    return Matrix.from1DArray(inDim, outDim, Float64Array.from(values[i]!)).transpose();
  });
  for (let j = 1; j < matrices.length; j++) {
    if (matrices[j]!.columns !== matrices[j - 1]!.rows) {
      throw new NotLinearChainError(`'${model.parameters[j]!.path}' takes ${matrices[j]!.columns} inputs but '${model.parameters[j - 1]!.path}' gives ${matrices[j - 1]!.rows}`);
    }
  }
  return matrices;
}

/**
 * W_1 … W_N (each out × in, float64) from the model's parameters in layer order. Found without
 * knowing the architecture: every parameter must be a matrix stored as dense stores it, [in, out],
 * and each one's output width must be the next one's input width. A constant output scale γ that
 * is not a parameter (deep-linear's `scale`, 1 in Arora et al. (2018)) is not part of the product.
 */
export function linearChain(model: Pick<Model, 'parameters'>): Matrix[] {
  checkMatrices(model);
  return chainOf(model, model.parameters.map((p) => p.variable.dataSync()));
}

/**
 * `linearChain`, reading the weights without blocking: on WebGL/WebGPU a synchronous read stalls
 * the page for the whole pipeline, so the training hook uses this.
 */
export async function readLinearChain(model: Pick<Model, 'parameters'>): Promise<Matrix[]> {
  checkMatrices(model);
  return chainOf(model, await Promise.all(model.parameters.map((p) => p.variable.data())));
}

function frobenius(m: Matrix): number {
  let s = 0;
  for (const v of m.to1DArray()) s += v * v;
  return Math.sqrt(s);
}

const maxOrNull = (values: ReadonlyArray<number | null>): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : Math.max(...present);
};

/** max_j ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F and its relative form, in float64 from the float32 weights. */
export function balancedness(model: Pick<Model, 'parameters'> | readonly Matrix[]): Balancedness {
  const w = Array.isArray(model) ? (model as readonly Matrix[]) : linearChain(model as Pick<Model, 'parameters'>);
  const pairs: BalancednessPair[] = [];
  for (let j = 0; j + 1 < w.length; j++) {
    const distance = frobenius(w[j + 1]!.transpose().mmul(w[j + 1]!).sub(w[j]!.mmul(w[j]!.transpose())));
    const scale = frobenius(w[j]!) ** 2;
    pairs.push({ distance, relative: scale > 0 ? distance / scale : null });
  }
  return { pairs, maxDistance: maxOrNull(pairs.map((p) => p.distance)), maxRelative: maxOrNull(pairs.map((p) => p.relative)) };
}

/** W_e = W_N⋯W_1 and its singular values. */
export function endToEnd(model: Pick<Model, 'parameters'> | readonly Matrix[]): EndToEnd {
  const w = Array.isArray(model) ? (model as readonly Matrix[]) : linearChain(model as Pick<Model, 'parameters'>);
  let product = w[0]!.clone();
  for (let j = 1; j < w.length; j++) product = w[j]!.mmul(product);
  const svd = new SingularValueDecomposition(product, { autoTranspose: true });
  const singularValues = svd.diagonal.slice(0, Math.min(product.rows, product.columns)).sort((a, b) => b - a);
  return { matrix: product, singularValues };
}

export interface BalancednessHookOptions {
  readonly schedule?: HookSchedule;
  /** Also write W_e's entries (k rows of d), not only its singular values. Default true. */
  readonly matrix?: boolean;
}

/**
 * Balancedness and the end-to-end matrix as a training hook (record kind `balancedness`):
 * `maxDistance`, `maxRelative`, per pair `pairs`, `singularValues` and, unless turned off,
 * `endToEnd` (W_e as rows). On a single matrix (the end-to-end rule's model) the balancedness
 * fields are null and W_e is the matrix itself.
 */
export function balancednessHook(options: BalancednessHookOptions = {}): Hook {
  return {
    name: 'balancedness',
    schedule: options.schedule ?? { atStart: true, atEnd: true },
    async run(ctx) {
      const chain = await readLinearChain(ctx.model);
      const b = balancedness(chain);
      const e = endToEnd(chain);
      return {
        maxDistance: b.maxDistance,
        maxRelative: b.maxRelative,
        pairs: b.pairs,
        singularValues: e.singularValues,
        ...(options.matrix === false ? {} : { endToEnd: e.matrix.to2DArray() }),
      };
    },
  };
}
