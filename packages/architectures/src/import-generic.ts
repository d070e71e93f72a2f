/**
 * The generic path: a `Model` whose one layer is the Layers model itself, opaque to taps. Its
 * parameters are the Layers model's own variables, so every metric that differentiates the model
 * (the Gram engine's per-example loop, the training loop's tf.variableGrads) gets the same
 * gradients tfjs would, for any layer tfjs can run, at the cost of one backward pass per example.
 */
import { flattenTree, ShapeError, tf, variableAccess, type Layer, type Model, type ParamInfo, type Shape, type Tensor, type TensorTree, type Variable } from '@overparam/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Weight `layer/name` as a two-level tree path without dots. */
function treePath(weightName: string): [string, string] {
  const clean = weightName.replaceAll('.', '_');
  const cut = clean.lastIndexOf('/');
  return cut < 0 ? [clean, 'value'] : [clean.slice(0, cut), clean.slice(cut + 1)];
}

/** Where the generic path keeps a Layers model's weight: `group.leaf` in its params or state tree. */
export function genericWeightPath(weightName: string): string {
  return treePath(weightName).join('.');
}

function insert(tree: TensorTree<Variable>, [group, leaf]: [string, string], v: Variable): string {
  const sub = (tree[group] ??= {}) as TensorTree<Variable>;
  sub[leaf] = v;
  return `${group}.${leaf}`;
}

export function genericModel(source: LayersModel, name: string, inputShape: Shape, outputShape: Shape): Model {
  const params: TensorTree<Variable> = {};
  const state: TensorTree<Variable> = {};
  const parameters: ParamInfo[] = [];
  for (const w of source.weights) {
    const variable = w.read() as Variable;
    if (!w.trainable) {
      insert(state, treePath(w.originalName), variable);
      continue;
    }
    const path = insert(params, treePath(w.originalName), variable);
    parameters.push({ path, shape: variable.shape, size: variable.size, trainable: true, variable });
  }
  const stateVars = flattenTree(state);
  const layer: Layer = {
    kind: 'layers-model',
    init() {
      throw new ShapeError(`the generic layer of '${name}' wraps an existing Layers model and cannot be initialized again; import the model instead`);
    },
    apply(_params, x, ctx) {
      if (!ctx.training || stateVars.length === 0) return source.apply(x, { training: ctx.training }) as Tensor;
      // In training mode tfjs-layers writes batch-norm's moving statistics itself. Overparam's
      // contract is that new state goes to ctx.stateUpdates and only the caller commits it (a
      // measurement never does), so the new values are handed over and the old ones put back.
      const saved = stateVars.map(([, v]) => tf.keep(tf.clone(v)));
      const y = source.apply(x, { training: true }) as Tensor;
      stateVars.forEach(([path, v], i) => {
        if (ctx.stateUpdates !== undefined) {
          ctx.stateUpdates.get(path)?.dispose();
          ctx.stateUpdates.set(path, tf.keep(tf.clone(v)));
        }
        v.assign(saved[i]!);
        saved[i]!.dispose();
      });
      return y;
    },
  };
  const paramCount = parameters.reduce((n, p) => n + p.size, 0);
  return {
    name,
    layer,
    inputShape,
    outputShape,
    params,
    state,
    parameters,
    paramCount,
    trainableParamCount: paramCount,
    apply(x, opts = {}) {
      if (x.rank !== inputShape.length + 1 || inputShape.some((d, i) => x.shape[i + 1] !== d)) {
        throw new ShapeError(`${name} expects inputs of shape [batch, ${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
      }
      return layer.apply(params, x, { training: opts.training ?? false, path: '', state, ...(opts.recorder ? { recorder: opts.recorder } : {}) });
    },
    ...variableAccess(name, parameters, new Map(stateVars)),
    dispose() {
      // The variables are the Layers model's own: disposing the model disposes them.
      source.dispose();
    },
  };
}
