import { ConfigError, createModel, dense, flattenTree, joinPath, serial, type DenseOptions, type Layer, type Model } from '@overparam/core';

/** How the factors of a replaced dense layer start (see `OverparameterizeOptions.factorInit`). */
export const factorInitNames = ['preserve', 'paper'] as const;
export type FactorInit = (typeof factorInitNames)[number];
export const DEFAULT_FACTOR_INIT: FactorInit = 'preserve';

export interface OverparameterizeOptions {
  /** N ≥ 1: how many matrices replace each dense layer's matrix (1 leaves the layer as it is). */
  readonly factors: number;
  /**
   * How the factors start. `preserve` (default): the factor with the original layer's shape gets
   * the original initializer and the others start as exact identities, so the product is
   * distributed exactly like the original layer's matrix (and, for a model, equals its current
   * weights). `paper`: every factor gets the original initializer for its own shape, as Arora et al. (2018)
   * did for its CNN (appendix C.2: "initialized in the same way as their predecessors").
   */
  readonly factorInit?: FactorInit;
}

/**
 * The factors replacing an `in → out` dense layer (Arora et al. (2018), §8, appendix C.2). Hidden widths are
 * r = min(in, out), the smallest that keeps every in × out matrix reachable as a product. When
 * out ≤ in the first factor keeps the original shape and N − 1 square r × r factors follow (the
 * paper's 3136×512 → 3136×512 · 512×512 and 512×10 → 512×10 · 10×10); when out > in the square
 * factors come first. The bias stays on the last factor, so the layer computes x·W₁⋯W_N + b.
 */
function factorize(layer: Layer, inputWidth: number, options: Required<OverparameterizeOptions>): Layer {
  const original = layer.options as DenseOptions;
  const out = original.units;
  const r = Math.min(inputWidth, out);
  const n = options.factors;
  const shaped = out <= inputWidth ? 0 : n - 1;
  const factors: Layer[] = [];
  for (let k = 0; k < n; k++) {
    const isShaped = k === shaped;
    const init = isShaped || options.factorInit === 'paper' ? original.init : 'identity';
    factors.push(
      dense({
        units: k === n - 1 ? out : r,
        bias: k === n - 1 ? original.bias : false,
        biasInit: original.biasInit,
        init,
        // Strategy 4.1 scales the network's first layer differently; only the shaped factor stands in for it.
        isFirstLayer: isShaped ? original.isFirstLayer : false,
      }),
    );
  }
  return serial(...factors);
}

function isTrainableDense(layer: Layer): boolean {
  return layer.kind === 'dense' && layer.options !== undefined && (layer.options as DenseOptions).frozen !== true;
}

/**
 * Walks the layer tree, replacing each trainable dense layer. Widths are only known at init
 * (a dense layer's input width is its predecessor's output), so the rewrite happens inside `init`
 * of a wrapper: it asks each child for its output shape in turn, as `serial` would.
 */
function rewrite(layer: Layer, inputWidth: number | undefined, options: Required<OverparameterizeOptions>): Layer {
  if (isTrainableDense(layer)) {
    if (inputWidth === undefined) throw new ConfigError('overparameterize', 'a dense layer whose input width is unknown cannot be factorized');
    return factorize(layer, inputWidth, options);
  }
  return layer;
}

/** A layer that rebuilds `layer` with factorized dense layers once the input shape is known. */
function deferred(layer: Layer, options: Required<OverparameterizeOptions>): Layer {
  if (isTrainableDense(layer)) {
    let built: Layer | undefined;
    let builtFor = -1;
    return {
      kind: 'dense-product',
      init(rng, inputShape) {
        built = rewrite(layer, inputShape[0], options);
        builtFor = inputShape[0] ?? -1;
        return built.init(rng, inputShape);
      },
      apply(params, x, ctx) {
        if (built === undefined || x.shape[1] !== builtFor) built = rewrite(layer, x.shape[1], options);
        return built.apply(params, x, ctx);
      },
    };
  }
  if (layer.children !== undefined && layer.withChildren !== undefined) {
    return layer.withChildren(layer.children.map((child) => deferred(child, options)));
  }
  return layer;
}

function validated(options: OverparameterizeOptions): Required<OverparameterizeOptions> {
  if (!Number.isInteger(options.factors) || options.factors < 1) throw new ConfigError('factors', `must be a positive integer, got ${options.factors}`);
  const factorInit = options.factorInit ?? DEFAULT_FACTOR_INIT;
  if (!factorInitNames.includes(factorInit)) throw new ConfigError('factorInit', `expected one of ${factorInitNames.join(', ')}, got '${String(factorInit)}'`);
  return { factors: options.factors, factorInit };
}

/**
 * Arora et al. (2018), §8: the same network with every trainable dense layer's matrix replaced by a product of
 * `factors` matrices. Combinators are traversed through `children`/`withChildren`; frozen dense
 * layers (the Du et al. output `a`), convolutions and already-factored deep linear nets are left
 * as they are. Parameter paths of a replaced layer P become P.0 … P.{N−1}.
 */
export function overparameterizeLayer(layer: Layer, options: OverparameterizeOptions): Layer {
  const o = validated(options);
  return o.factors === 1 ? layer : deferred(layer, o);
}

/**
 * The same, for a model: a new model (the caller disposes both) whose factors start so that it
 * computes exactly what `model` computes now (`preserve`), or freshly drawn from `seed` (`paper`).
 */
export function overparameterize(model: Model, options: OverparameterizeOptions & { readonly seed?: number | string }): Model {
  const o = validated(options);
  const layer = overparameterizeLayer(model.layer, o);
  const result = createModel(layer, { inputShape: model.inputShape, seed: options.seed ?? 0, name: `${model.name}-OP${o.factors}` });
  if (o.factorInit === 'paper' || o.factors === 1) return result;
  const byPath = new Map(result.parameters.map((p) => [p.path, p]));
  for (const p of model.parameters) {
    const leaf = p.path.slice(p.path.lastIndexOf('.') + 1);
    const prefix = p.path.slice(0, Math.max(0, p.path.lastIndexOf('.')));
    let target = byPath.get(p.path);
    if (target === undefined) {
      // A factorized dense layer: its matrix goes to the factor of the same shape, its bias to the last.
      const candidates = leaf === 'b' ? [o.factors - 1] : [0, o.factors - 1];
      target = candidates.map((k) => byPath.get(joinPath(joinPath(prefix, String(k)), leaf))).find((q) => q !== undefined && q.shape.join(',') === p.shape.join(','));
    }
    if (target === undefined) throw new ConfigError('model', `cannot place parameter '${p.path}' in the overparameterized model`);
    target.variable.assign(p.variable);
  }
  // State (batch-norm statistics) belongs to layers that are never rewritten, so paths match.
  const states = new Map(flattenTree(result.state));
  for (const [path, v] of flattenTree(model.state)) states.get(path)?.assign(v);
  return result;
}
