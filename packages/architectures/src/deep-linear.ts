import { ConfigError, dense, ShapeError, serial, tf, type Layer, type Model, type Tensor, type TensorTree } from '@overparam/core';
import { Matrix } from 'ml-matrix';
import { deepLinearWeights, matrixProduct, type DeepLinearInit } from './deep-linear-init';
import { constantScale } from './scale';

export interface DeepLinearOptions {
  /** N: the number of weight matrices (N − 1 hidden layers). */
  readonly depth: number;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Every hidden width; default min(inputDim, outputDim), the smallest that keeps full rank. */
  readonly width?: number;
  /** The N − 1 hidden widths n_1 … n_{N−1}, instead of `width`. */
  readonly hiddenWidths?: readonly number[];
  /** γ in γ·W_N⋯W_1·x: a number (default 1) or `'theorem-6.1'` for 1/√(2N) (Sankararaman et al. (2020), Theorem 6.1). */
  readonly scale?: number | 'theorem-6.1';
  /** Default `near-zero` (Arora et al. (2018), appendix C). */
  readonly init?: DeepLinearInit;
  /** Std of the Gaussian draws of near-zero, near-identity (noise) and balanced (end-to-end). Default 0.01. */
  readonly initStd?: number;
  /** κ of Strategy 4.1. Default 1. */
  readonly kappa?: number;
}

/** What a deep linear layer carries in `options`, so `endToEndMatrix` can read a model back. */
export interface DeepLinearLayerInfo {
  /** [d, n_1, …, n_{N−1}, k]. */
  readonly dims: readonly number[];
  /** γ. */
  readonly scale: number;
}

/** The layer sizes [d, n_1, …, n_{N−1}, k]; a ConfigError names the option that does not fit. */
export function deepLinearDims(options: DeepLinearOptions): number[] {
  const { depth, inputDim, outputDim } = options;
  if (!Number.isInteger(depth) || depth < 1) throw new ConfigError('depth', `must be a positive integer, got ${depth}`);
  if (options.width !== undefined && options.hiddenWidths !== undefined) {
    throw new ConfigError('hiddenWidths', 'give either width or hiddenWidths, not both');
  }
  let hidden: readonly number[];
  if (options.hiddenWidths !== undefined) {
    if (options.hiddenWidths.length !== depth - 1) {
      throw new ConfigError('hiddenWidths', `a depth-${depth} net has ${depth - 1} hidden layers, got ${options.hiddenWidths.length} widths`);
    }
    hidden = options.hiddenWidths;
  } else {
    hidden = new Array<number>(depth - 1).fill(options.width ?? Math.min(inputDim, outputDim));
  }
  return [inputDim, ...hidden, outputDim];
}

export function deepLinearScale(options: Pick<DeepLinearOptions, 'depth' | 'scale'>): number {
  const scale = options.scale ?? 1;
  return scale === 'theorem-6.1' ? 1 / Math.sqrt(2 * options.depth) : scale;
}

/**
 * A deep linear network x ↦ γ·W_N⋯W_1·x without biases (Arora et al. (2018), §4, Sankararaman et al. (2020), §6). Each W_j is a
 * bias-free `dense` layer (so taps and the Gram engine see every factor) under parameter key
 * `j − 1`; γ is a constant scale after the last one. The weights are drawn jointly because the
 * balanced init couples the layers; the layer's kind is `deep-linear`, so overparameterize leaves it
 * alone (it is a product of matrices already).
 */
export function deepLinear(options: DeepLinearOptions): Layer {
  const dims = deepLinearDims(options);
  const scale = deepLinearScale(options);
  const init = options.init ?? 'near-zero';
  const inner = serial(...dims.slice(1).map((units) => dense({ units, bias: false })), constantScale(scale));
  const info: DeepLinearLayerInfo = { dims, scale };
  return {
    kind: 'deep-linear',
    options: info,
    body: inner,
    init(rng, inputShape) {
      if (inputShape.length !== 1 || inputShape[0] !== dims[0]) {
        throw new ShapeError(`this deep linear net was built for inputs of size ${dims[0]}, got shape [${inputShape.join(', ')}]; set inputDim to match`);
      }
      const weights = deepLinearWeights(rng, dims, { init, std: options.initStd ?? 0.01, kappa: options.kappa ?? 1 });
      const params: TensorTree = {};
      // dense stores W_jᵀ ([in, out]), so x·w computes (W_j x)ᵀ row by row.
      weights.forEach((w, j) => {
        params[String(j)] = { w: tf.tensor2d(Float32Array.from(w.transpose().to1DArray()), [w.columns, w.rows]) };
      });
      return { params, state: {}, outputShape: [dims[dims.length - 1]!] };
    },
    apply: (params, x: Tensor, ctx) => inner.apply(params, x, ctx),
  };
}

export function deepLinearName(options: DeepLinearOptions): string {
  const dims = deepLinearDims(options);
  const hidden = dims.slice(1, -1);
  const widths = hidden.length === 0 ? '' : hidden.every((w) => w === hidden[0]) ? `-${hidden[0]}` : `-${hidden.join('x')}`;
  return `DLN-${options.depth}${widths}`;
}

/**
 * The linear map the net computes, γ·W_N⋯W_1 (k × d), in float64 from the model's current float32
 * weights. With the default γ = 1 this is Arora et al.'s (2018) end-to-end matrix W_e (eq. 5).
 */
export function endToEndMatrix(model: Pick<Model, 'layer' | 'parameters'>): Matrix {
  if (model.layer.kind !== 'deep-linear') {
    throw new ConfigError('model', `endToEndMatrix needs a deep linear net (built by deepLinear), got a '${model.layer.kind}' layer`);
  }
  const { dims, scale } = model.layer.options as DeepLinearLayerInfo;
  const weights = dims.slice(1).map((rows, j) => {
    const p = model.parameters.find((q) => q.path === `${j}.w`);
    if (p === undefined) throw new ConfigError('model', `deep linear net has no parameter '${j}.w'`);
    // Stored as [in, out]; W_j is its transpose.
    return Matrix.from1DArray(dims[j]!, rows, Float64Array.from(p.variable.dataSync())).transpose();
  });
  return matrixProduct(weights).mul(scale);
}
