import type { Rng } from '../rng';
import type { Tensor } from '../tf';

/** A shape without the batch dimension. */
export type Shape = readonly number[];

/** Parameters or state of a layer: tensors at the leaves, nested by child key. */
export interface TensorTree<T extends Tensor = Tensor> {
  [key: string]: T | TensorTree<T>;
}

export interface LayerInit {
  readonly params: TensorTree;
  /** Non-trained state such as batch-norm running statistics; `{}` for stateless layers. */
  readonly state: TensorTree;
  readonly outputShape: Shape;
  /** Dotted paths (relative to this layer) of parameters that are not trained. */
  readonly frozen?: readonly string[];
}

/**
 * What a parameterized primitive reports to a recorder on every call. `params` maps the
 * primitive's own parameter keys (`w`, `b`, ...) to the tensors used; `paramPaths` gives their
 * dotted path in the model, so a metric can match taps to model parameters.
 */
export interface TapEvent {
  readonly path: string;
  readonly kind: string;
  readonly input: Tensor;
  readonly output: Tensor;
  readonly params: Readonly<Record<string, Tensor>>;
  readonly paramPaths: Readonly<Record<string, string>>;
  /** Primitive-specific settings a metric needs (e.g. conv stride and padding). */
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * Receives taps. It returns the tensor the layer should output: normally `event.output`, or
 * `event.output` plus a zero probe whose gradient is the per-example output gradient.
 */
export interface TapRecorder {
  tap(event: TapEvent): Tensor;
}

export interface ApplyContext {
  /** Training mode: batch-norm uses batch statistics and writes new running statistics. */
  readonly training: boolean;
  /** Dotted path of the layer being applied (`''` for the model's root layer). */
  readonly path: string;
  /** This layer's state subtree. */
  readonly state: TensorTree;
  readonly recorder?: TapRecorder;
  /** Randomness for stochastic layers (dropout), when training. */
  readonly rng?: { seed(): number };
  /** Sink for new state values, keyed by full dotted path; the model assigns them after the step. */
  readonly stateUpdates?: Map<string, Tensor>;
}

/**
 * A layer is a small value with two functions, in the stax/equinox style: `init` creates
 * parameters for an input shape, `apply` is a pure function of parameters and input.
 * Combinators (`serial`, `residual`) are layers made of layers.
 */
export interface Layer {
  /** The primitive or combinator kind, e.g. `dense`, `tanh`, `serial`. */
  readonly kind: string;
  init(rng: Rng, inputShape: Shape): LayerInit;
  apply(params: TensorTree, x: Tensor, ctx: ApplyContext): Tensor;
  /**
   * A combinator's sub-layers, in the order of their parameter keys. With `withChildren`, this
   * lets a transformation (such as overparameterize) rewrite a network without knowing its
   * combinators. Absent on primitives.
   */
  readonly children?: readonly Layer[];
  /** The same combinator around other children (as many as `children`). */
  withChildren?(children: readonly Layer[]): Layer;
  /** The options a primitive was built from, so a transformation can rebuild it. */
  readonly options?: Readonly<object>;
  /**
   * A layer whose `apply` is exactly `body.apply` on the same parameter and state trees (its own
   * `init` draws them differently, as the deep linear net's joint inits do). Replicas look through
   * it to batch the body's primitives.
   */
  readonly body?: Layer;
}
