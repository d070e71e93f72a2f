import { activation, childContext, childParams, ConfigError, dense, joinPath, serial, tf, type ActivationName, type Layer, type TensorTree } from '@overparam/core';
import { cSigma } from './c-sigma';
import { constantScale } from './scale';

export interface DuNetOptions {
  /** H: the number of hidden layers (weight matrices W⁽¹⁾ … W⁽ᴴ⁾). */
  readonly depth: number;
  /** m: the width of every hidden layer. */
  readonly width: number;
  readonly inputDim: number;
  /** Outputs; Du et al. (2019) has one (f = aᵀx⁽ᴴ⁾), more give a ∈ R^{m×k}. Default 1. */
  readonly outputDim?: number;
  /** σ. Default softplus, the example Du et al. (2019) gives of an activation meeting its assumptions. */
  readonly activation?: ActivationName;
}

export interface DuResNetOptions extends DuNetOptions {
  /** c_res in x⁽ʰ⁾ = x⁽ʰ⁻¹⁾ + c_res/(H√m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾). Default 1. */
  readonly cRes?: number;
}

/** W ~ N(0, 1) entrywise, no biases (Du et al. (2019)). */
const standardNormal = { name: 'normal', std: 1 } as const;

function check(options: DuNetOptions): void {
  for (const key of ['depth', 'width', 'inputDim'] as const) {
    const v = options[key];
    if (!Number.isInteger(v) || v < 1) throw new ConfigError(key, `must be a positive integer, got ${v}`);
  }
}

/** The frozen output layer f = aᵀx⁽ᴴ⁾ with a ~ N(0, I): Du et al. (2019) trains only the W⁽ʰ⁾. */
function frozenOutput(options: DuNetOptions): Layer {
  return dense({ units: options.outputDim ?? 1, bias: false, init: standardNormal, frozen: true });
}

/** x ↦ √(c_σ/m)·σ(Wx), a hidden layer of the fully connected net (Du et al. (2019), eq. 1). */
function scaledLayer(options: DuNetOptions, isFirstLayer: boolean): Layer[] {
  const act = options.activation ?? 'softplus';
  return [dense({ units: options.width, bias: false, init: standardNormal, isFirstLayer }), activation(act), constantScale(Math.sqrt(cSigma(act) / options.width))];
}

/**
 * The fully connected net of Du et al. (2019, eqs. 1–2): x⁽ʰ⁾ = √(c_σ/m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾) for
 * h = 1 … H with N(0, 1) weights and c_σ = 1/E[σ(z)²], then f = aᵀx⁽ᴴ⁾ with `a` frozen.
 */
export function duMlp(options: DuNetOptions): Layer {
  check(options);
  const layers: Layer[] = [];
  for (let h = 1; h <= options.depth; h++) layers.push(...scaledLayer(options, h === 1));
  return serial(...layers, frozenOutput(options));
}

/** x ↦ x + main(x): the identity skip of the Du et al. ResNet (shapes are equal by construction). */
function identityResidual(main: Layer): Layer {
  return {
    kind: 'residual',
    children: [main],
    withChildren: ([child]) => identityResidual(child!),
    init(rng, inputShape) {
      const inner = main.init(rng.fork('main'), inputShape);
      const params: TensorTree = {};
      const state: TensorTree = {};
      if (Object.keys(inner.params).length > 0) params.main = inner.params;
      if (Object.keys(inner.state).length > 0) state.main = inner.state;
      return { params, state, outputShape: inner.outputShape, frozen: (inner.frozen ?? []).map((f) => joinPath('main', f)) };
    },
    apply: (params, x, ctx) => tf.add(x, main.apply(childParams(params, 'main'), x, childContext(ctx, 'main'))),
  };
}

/**
 * The ResNet of Du et al. (2019 §3.1): a first layer as in the fully connected net, mapping
 * the input to width m, then x⁽ʰ⁾ = x⁽ʰ⁻¹⁾ + c_res/(H√m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾) for h = 2 … H, and the frozen
 * output aᵀx⁽ᴴ⁾. The review writes the residual form for every h ≥ 1, which cannot be added when
 * d ≠ m; the original paper (Du et al. 2019, §5) starts with the scaled layer, as here.
 */
export function duResNet(options: DuResNetOptions): Layer {
  check(options);
  const act = options.activation ?? 'softplus';
  const residualScale = (options.cRes ?? 1) / (options.depth * Math.sqrt(options.width));
  const layers: Layer[] = [...scaledLayer(options, true)];
  for (let h = 2; h <= options.depth; h++) {
    layers.push(identityResidual(serial(dense({ units: options.width, bias: false, init: standardNormal }), activation(act), constantScale(residualScale))));
  }
  return serial(...layers, frozenOutput(options));
}

export function duMlpName(options: Pick<DuNetOptions, 'depth' | 'width'>): string {
  return `DuMLP-${options.depth}-${options.width}`;
}

export function duResNetName(options: Pick<DuNetOptions, 'depth' | 'width'>): string {
  return `DuResNet-${options.depth}-${options.width}`;
}
