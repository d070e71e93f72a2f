import { ShapeError } from '../errors';
import { tf, type Tensor, type Variable } from '../tf';
import { flattenTree, mapTree } from './context';
import { matMulForTraining } from './matmul';
import type { Model } from './model';
import type { ApplyContext, Layer, TensorTree } from './types';

/**
 * R models of one architecture trained as one: every parameter and state tensor of the R models
 * stacked on a leading replica axis (`[R, ...shape]`), applied to inputs `[R, batch, ...]`.
 *
 * The network is lifted primitive by primitive, so any architecture built from core's layers is
 * covered without code of its own: dense becomes a batched matMul; a layer without parameters,
 * state or randomness (activations, flatten, pooling, scales) sees the replicas folded into the
 * batch; a combinator (serial, residual, ...) is rebuilt around lifted children through
 * `withChildren`, and a layer with a `body` is lifted through it. A network with anything else
 * (conv2d, batch-norm, training-mode dropout, a primitive we do not know) runs once per replica on
 * its slice inside the same step: still one process and one dispatch stream, only without the
 * batching gain.
 */
export interface ReplicatedModel {
  /** Replicas currently in the group. */
  readonly size: number;
  /** The stacked trainable variables, in the order of the models' `parameters` (trainable ones). */
  readonly trainable: readonly Variable[];
  /** Forward pass of every replica on its own batch: `x` is `[R, batch, ...inputShape]`. */
  apply(x: Tensor, options: ReplicatedApplyOptions): Tensor;
  /** Assigns state updates collected during a training-mode `apply`, and disposes them. */
  commitState(updates: Map<string, Tensor>): void;
  /** Copies replica `r`'s parameters and state into `model` (that replica's own model), so hooks, evaluation and checkpoints see exactly what its solo run would. */
  writeBack(r: number, model: Model): void;
  /** Keeps only the replicas at these positions, in this order (the others have ended). */
  keep(indices: readonly number[]): void;
  dispose(): void;
}

export interface ReplicatedApplyOptions {
  readonly training: boolean;
  readonly stateUpdates?: Map<string, Tensor>;
  /** Each replica's randomness for stochastic layers (dropout), in replica order. */
  readonly rngs?: ReadonlyArray<{ seed(): number }>;
}

/** Layers whose `apply` draws randomness in training mode, so replicas cannot share one call. */
const STOCHASTIC_KINDS = new Set(['dropout']);

/** A lifted layer: `apply(stackedParams, x [R, B, ...], ctx)`; the replicas' RNGs come from `env`. */
interface Env {
  rngs?: ReadonlyArray<{ seed(): number }>;
}

function isEmpty(tree: TensorTree): boolean {
  return Object.keys(tree).length === 0;
}

/**
 * `tf.unstack` on the replica axis. A group of one (all but one replica have left) would unstack
 * into a single output, whose gradient tfjs's tape hands to Unpack's gradient as a bare tensor
 * where it expects a list, and the step throws; a reshape is the same slice with a gradient.
 */
function unstackReplicas(t: Tensor): Tensor[] {
  return t.shape[0] === 1 ? [tf.reshape(t, t.shape.slice(1))] : tf.unstack(t);
}

/** Replica `r`'s slice of every leaf of a stacked tree (tensors that keep their gradient path). */
function sliceTrees(tree: TensorTree, replicas: number): TensorTree[] {
  const leaves = flattenTree(tree);
  const slices = leaves.map(([, t]) => unstackReplicas(t));
  return Array.from({ length: replicas }, (_, r) => {
    let i = 0;
    return mapTree(tree, () => slices[i++]![r]!);
  });
}

function foldReplicas(x: Tensor): Tensor {
  return tf.reshape(x, [x.shape[0]! * x.shape[1]!, ...x.shape.slice(2)]);
}

function unfoldReplicas(y: Tensor, replicas: number): Tensor {
  return tf.reshape(y, [replicas, y.shape[0]! / replicas, ...y.shape.slice(1)]);
}

function liftDense(layer: Layer): Layer {
  return {
    ...layer,
    apply(params, x) {
      // x [R, B, in] · w [R, in, out]; the bias [R, out] broadcasts over the batch.
      const y = matMulForTraining(x, params.w as Tensor);
      const b = params.b as Tensor | undefined;
      return b === undefined ? y : tf.add(y, tf.expandDims(b, 1));
    },
  };
}

/**
 * Thrown by a primitive that must run per replica while the network is applied batched: the
 * group then runs the whole network per replica (see `replicate`). Looping primitive by primitive
 * would also be correct, but a tensor that several looped layers consume then sums its gradient
 * in another order than the solo run does, and a deep BN net amplifies that float32 rounding.
 */
class NeedsReplicaLoop extends Error {}

/** Each replica applies the layer to its own slice, with its own parameters, state and RNG. */
function loopReplicas(layer: Layer, env: Env): Layer {
  return {
    ...layer,
    apply(params, x, ctx) {
      const replicas = x.shape[0]!;
      const xs = unstackReplicas(x);
      const ps = sliceTrees(params, replicas);
      const ss = sliceTrees(ctx.state, replicas);
      const updates: Array<Map<string, Tensor>> = [];
      const ys = xs.map((xr, r) => {
        const own = new Map<string, Tensor>();
        updates.push(own);
        const rctx: ApplyContext = { training: ctx.training, path: ctx.path, state: ss[r]!, rng: env.rngs?.[r], stateUpdates: ctx.stateUpdates === undefined ? undefined : own };
        return layer.apply(ps[r]!, xr, rctx);
      });
      if (ctx.stateUpdates !== undefined) {
        // Layers keep their updates out of the step's tidy (see batch-norm's `record`); so does the stack of them.
        for (const path of updates[0]!.keys()) {
          const parts = updates.map((u) => u.get(path)!);
          ctx.stateUpdates.get(path)?.dispose();
          ctx.stateUpdates.set(path, tf.keep(tf.stack(parts)));
          tf.dispose(parts);
        }
      }
      return tf.stack(ys);
    },
  };
}

/**
 * The replica-axis form of a layer, built once per group. Whether a primitive owns parameters or
 * state shows only in the subtrees it receives (a combinator's children have no init of their
 * own here), so folding or looping is decided at apply time.
 */
function liftLayer(layer: Layer, env: Env): Layer {
  if (layer.kind === 'dense' && layer.children === undefined && layer.body === undefined) return liftDense(layer);
  if (layer.body !== undefined) {
    const body = liftLayer(layer.body, env);
    return { ...layer, apply: (params, x, ctx) => body.apply(params, x, ctx) };
  }
  if (layer.children !== undefined && layer.withChildren !== undefined) return layer.withChildren(layer.children.map((child) => liftLayer(child, env)));
  return {
    ...layer,
    apply(params, x, ctx) {
      if (isEmpty(params) && isEmpty(ctx.state) && !(ctx.training && STOCHASTIC_KINDS.has(layer.kind))) {
        return unfoldReplicas(layer.apply(params, foldReplicas(x), ctx), x.shape[0]!);
      }
      throw new NeedsReplicaLoop(`'${layer.kind}' at '${ctx.path}' has no batched form`);
    },
  };
}

let groupCounter = 0;

/** Stacks `models` (one architecture, one input shape; each initialized as its solo run) into one replicated model. */
export function replicate(models: readonly Model[]): ReplicatedModel {
  const first = models[0];
  if (first === undefined) throw new ShapeError('replicate needs at least one model');
  const signature = (m: Model) => `${m.inputShape.join(',')}|${m.parameters.map((p) => `${p.path}:${p.shape.join(',')}:${p.trainable}`).join(';')}|${flattenTree(m.state).map(([path, v]) => `${path}:${v.shape.join(',')}`).join(';')}`;
  for (const m of models) {
    if (signature(m) !== signature(first)) throw new ShapeError(`replicas must share one architecture: ${m.name} differs from ${first.name} in its input or parameter shapes`);
  }
  const env: Env = {};
  const lifted = liftLayer(first.layer, env);
  const looped = loopReplicas(first.layer, env);
  // Batched until a primitive without a batched form shows up (on the first apply); then per replica for good.
  let batched = true;
  const prefix = `overparam-replicas${++groupCounter}`;
  let generation = 0;
  let size = models.length;

  const stackTree = (pick: (m: Model) => TensorTree<Variable>, trainable: (path: string) => boolean, kind: string) => {
    // Each model's leaves by path, flattened once (not once per leaf: a deep net has hundreds).
    const byModel = models.map((m) => new Map(flattenTree(pick(m))));
    return mapTree(pick(first), (_leaf, path) => {
      const leaves = byModel.map((leavesOf) => leavesOf.get(path)!);
      return tf.tidy(() => tf.variable(tf.stack(leaves), trainable(path), `${prefix}/${generation}/${kind}/${path}`));
    });
  };
  const trainablePaths = new Set(first.parameters.filter((p) => p.trainable).map((p) => p.path));
  let params = stackTree((m) => m.params, (p) => trainablePaths.has(p), 'p');
  let state = stackTree((m) => m.state, () => false, 's');
  const leaves = () => ({ params: new Map(flattenTree(params)), state: new Map(flattenTree(state)) });
  let byPath = leaves();
  const trainableOf = () => first.parameters.filter((p) => p.trainable).map((p) => byPath.params.get(p.path)!);
  let trainable = trainableOf();

  return {
    get size() {
      return size;
    },
    get trainable() {
      return trainable;
    },
    apply(x, options) {
      if (x.shape[0] !== size) throw new ShapeError(`a group of ${size} replicas needs inputs [${size}, batch, ...], got [${x.shape.join(', ')}]`);
      env.rngs = options.rngs;
      const ctx = { training: options.training, path: '', state, stateUpdates: options.stateUpdates };
      if (batched) {
        try {
          return lifted.apply(params, x, ctx);
        } catch (e) {
          if (!(e instanceof NeedsReplicaLoop)) throw e;
          batched = false;
          // Whatever the batched attempt collected is dropped (layers keep their updates past the tidy).
          for (const t of options.stateUpdates?.values() ?? []) t.dispose();
          options.stateUpdates?.clear();
        }
      }
      return looped.apply(params, x, ctx);
    },
    commitState(updates) {
      for (const [path, value] of updates) {
        const target = byPath.state.get(path);
        if (target === undefined) throw new ShapeError(`state update for unknown path '${path}'`);
        target.assign(value);
        value.dispose();
      }
      updates.clear();
    },
    writeBack(r, model) {
      tf.tidy(() => {
        for (const p of model.parameters) p.variable.assign(tf.squeeze(tf.slice(byPath.params.get(p.path)!, [r], [1]), [0]));
        for (const [path, v] of flattenTree(model.state)) v.assign(tf.squeeze(tf.slice(byPath.state.get(path)!, [r], [1]), [0]));
      });
    },
    keep(indices) {
      generation++;
      const index = tf.tensor1d(Array.from(indices), 'int32');
      const regather = (tree: TensorTree<Variable>, kind: string) =>
        mapTree(tree, (v, path) => {
          const next = tf.tidy(() => tf.variable(tf.gather(v, index), v.trainable, `${prefix}/${generation}/${kind}/${path}`));
          v.dispose();
          return next;
        });
      params = regather(params, 'p');
      state = regather(state, 's');
      index.dispose();
      byPath = leaves();
      trainable = trainableOf();
      size = indices.length;
    },
    dispose() {
      for (const v of [...byPath.params.values(), ...byPath.state.values()]) v.dispose();
    },
  };
}
