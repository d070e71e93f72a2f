import { ShapeError } from '../errors';
import { createRng, type Rng } from '../rng';
import { tf, type Tensor, type Variable } from '../tf';
import { flattenTree, mapTree } from './context';
import type { Layer, Shape, TapRecorder, TensorTree } from './types';

export interface ParamInfo {
  /** Dotted path in the parameter tree, e.g. `0.w`. */
  readonly path: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly trainable: boolean;
  readonly variable: Variable;
}

export interface ModelApplyOptions {
  readonly training?: boolean;
  readonly recorder?: TapRecorder;
  /** Collects new state (batch-norm statistics); pass it to `commitState` after the step. */
  readonly stateUpdates?: Map<string, Tensor>;
  /** Seeds for stochastic layers (dropout) in training mode; `train()` passes the run's dropout stream. */
  readonly rng?: { seed(): number };
}

/** A layer together with its parameters (tf.Variables) and state. */
export interface Model {
  readonly name: string;
  readonly layer: Layer;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly params: TensorTree<Variable>;
  readonly state: TensorTree<Variable>;
  /** Every parameter in layer order. */
  readonly parameters: readonly ParamInfo[];
  readonly paramCount: number;
  readonly trainableParamCount: number;
  /** Forward pass on a batch `[batch, ...inputShape]`. */
  apply(x: Tensor, options?: ModelApplyOptions): Tensor;
  /** Assigns state updates collected during a training-mode `apply`, and disposes them. */
  commitState(updates: Map<string, Tensor>): void;
  /** Parameter values, copied to the JS side, in layer order. Blocks until the backend has computed them. */
  readWeights(): Array<{ path: string; shape: readonly number[]; values: Float32Array }>;
  /**
   * The same values as `readWeights`, read without blocking: on WebGL/WebGPU a synchronous read
   * stalls the page for the whole GPU pipeline, so code that runs in a page (metric hooks) uses this.
   */
  readWeightsAsync(): Promise<Array<{ path: string; shape: readonly number[]; values: Float32Array }>>;
  /** Replaces parameter values; every path and shape must match. */
  writeWeights(weights: ReadonlyArray<{ path: string; shape: readonly number[]; values: Float32Array }>): void;
  dispose(): void;
}

export interface CreateModelOptions {
  readonly inputShape: Shape;
  /** Seed or RNG for the initial parameters. */
  readonly seed?: number | string;
  readonly rng?: Rng;
  /** A human name such as `MLP-3-100`; defaults to the layer kind. */
  readonly name?: string;
}

/** The part of a `Model` that moves values in and out of its variables. */
export type VariableAccess = Pick<Model, 'commitState' | 'readWeights' | 'readWeightsAsync' | 'writeWeights'>;

/**
 * `commitState`, `readWeights`, `readWeightsAsync` and `writeWeights` over a model's parameters
 * and state variables (by path), for every kind of model: those built from our layers
 * (`createModel`) and those wrapping another library's variables (an imported Keras model).
 * `name` is the model's, for the errors.
 */
export function variableAccess(name: string, parameters: readonly ParamInfo[], stateByPath: ReadonlyMap<string, Variable>): VariableAccess {
  const byPath = new Map(parameters.map((p) => [p.path, p]));
  return {
    commitState(updates) {
      for (const [path, value] of updates) {
        const target = stateByPath.get(path);
        if (target === undefined) throw new ShapeError(`state update for unknown path '${path}'`);
        target.assign(value);
        value.dispose();
      }
      updates.clear();
    },
    readWeights() {
      return parameters.map((p) => ({ path: p.path, shape: p.shape, values: new Float32Array(p.variable.dataSync()) }));
    },
    async readWeightsAsync() {
      const values = await Promise.all(parameters.map((p) => p.variable.data()));
      return parameters.map((p, i) => ({ path: p.path, shape: p.shape, values: new Float32Array(values[i]!) }));
    },
    writeWeights(weights) {
      for (const w of weights) {
        const p = byPath.get(w.path);
        if (p === undefined) throw new ShapeError(`${name} has no parameter '${w.path}'`);
        if (p.shape.join(',') !== w.shape.join(',')) throw new ShapeError(`parameter '${w.path}' has shape [${p.shape}], got [${w.shape}]`);
        tf.tidy(() => p.variable.assign(tf.tensor(w.values, p.shape as number[])));
      }
    },
  };
}

let modelCounter = 0;

export function createModel(layer: Layer, options: CreateModelOptions): Model {
  const rng = options.rng ?? createRng(options.seed ?? 0);
  const init = layer.init(rng.fork('init'), options.inputShape);
  // tfjs registers variables globally by name, so each model gets its own prefix.
  const prefix = `overparam${++modelCounter}`;
  const frozen = new Set(init.frozen ?? []);
  const params = mapTree(init.params, (t, path) => {
    const v = tf.variable(t, !frozen.has(path), `${prefix}/p/${path}`);
    t.dispose();
    return v;
  });
  const state = mapTree(init.state, (t, path) => {
    const v = tf.variable(t, false, `${prefix}/s/${path}`);
    t.dispose();
    return v;
  });
  const parameters: ParamInfo[] = flattenTree(params).map(([path, variable]) => ({
    path,
    shape: variable.shape,
    size: variable.size,
    trainable: !frozen.has(path),
    variable,
  }));
  const stateByPath = new Map(flattenTree(state));

  return {
    name: options.name ?? layer.kind,
    layer,
    inputShape: options.inputShape,
    outputShape: init.outputShape,
    params,
    state,
    parameters,
    paramCount: parameters.reduce((n, p) => n + p.size, 0),
    trainableParamCount: parameters.filter((p) => p.trainable).reduce((n, p) => n + p.size, 0),
    apply(x, opts = {}) {
      const expected = options.inputShape;
      if (x.rank !== expected.length + 1 || expected.some((d, i) => x.shape[i + 1] !== d)) {
        throw new ShapeError(`${this.name} expects inputs of shape [batch, ${expected.join(', ')}], got [${x.shape.join(', ')}]`);
      }
      return layer.apply(params, x, {
        training: opts.training ?? false,
        path: '',
        state,
        recorder: opts.recorder,
        stateUpdates: opts.stateUpdates,
        rng: opts.rng,
      });
    },
    ...variableAccess(options.name ?? layer.kind, parameters, stateByPath),
    dispose() {
      for (const p of parameters) p.variable.dispose();
      for (const v of stateByPath.values()) v.dispose();
    },
  };
}
