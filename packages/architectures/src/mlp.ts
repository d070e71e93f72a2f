import { activation, dense, serial, type ActivationName, type InitSpec, type Layer } from '@overparam/core';

export interface MlpOptions {
  /** β: the number of hidden layers (so β + 1 weight matrices). */
  readonly depth: number;
  /** ℓ: the width of every hidden layer. */
  readonly width: number;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Nonlinearity after every hidden layer. Default `tanh`. */
  readonly activation?: ActivationName;
  /** Weight initializer. Default Glorot normal (Sankararaman et al. (2020), appendix A.1). */
  readonly init?: InitSpec;
  /** Biases on every layer, initialized to 0. Default true. */
  readonly bias?: boolean;
}

/**
 * MLP-β-ℓ of Sankararaman et al. (2020), appendix A.1: W0 (ℓ×d), β − 1 matrices ℓ×ℓ, and the output layer
 * (outputDim×ℓ), each followed by the activation except the last. MLP-3-100 on MNIST has
 * 784·100 + 100 + 2·(100·100 + 100) + 100·10 + 10 = 99,710 parameters.
 */
export function mlp(options: MlpOptions): Layer {
  const act = options.activation ?? 'tanh';
  const init = options.init ?? 'glorot-normal';
  const bias = options.bias ?? true;
  const layers: Layer[] = [];
  for (let i = 0; i < options.depth; i++) {
    layers.push(dense({ units: options.width, init, bias, isFirstLayer: i === 0 }), activation(act));
  }
  layers.push(dense({ units: options.outputDim, init, bias, isFirstLayer: options.depth === 0 }));
  return serial(...layers);
}

export function mlpName(options: Pick<MlpOptions, 'depth' | 'width'>): string {
  return `MLP-${options.depth}-${options.width}`;
}
