import { ShapeError } from '../errors';
import { tf, type Tensor } from '../tf';
import { childContext, childParams, flattenTree, joinPath } from './context';
import type { Layer, LayerInit, Shape, TensorTree } from './types';

/** The name by which graph nodes read the graph's own input. */
export const GRAPH_INPUT = '$input';

/** How a merge node combines its inputs: elementwise sum, or concatenation along the last axis. */
export type GraphMerge = 'add' | 'concat';

/**
 * One node of a `graph`: a layer applied to one earlier value, or a merge of two or more. `key`
 * names the node's parameter and state subtree and its tap path, so it must not contain a dot.
 */
export type GraphNode =
  | { readonly key: string; readonly inputs: readonly [string]; readonly layer: Layer }
  | { readonly key: string; readonly inputs: readonly string[]; readonly merge: GraphMerge };

function mergedShape(node: { key: string; merge: GraphMerge }, shapes: readonly Shape[]): Shape {
  const first = shapes[0]!;
  const describe = () => shapes.map((s) => `[${s.join(', ')}]`).join(', ');
  const sameRank = shapes.every((s) => s.length === first.length);
  if (node.merge === 'add') {
    if (!sameRank || shapes.some((s) => s.some((d, i) => d !== first[i]))) throw new ShapeError(`graph: add node '${node.key}' needs inputs of one shape, got ${describe()}`);
    return first;
  }
  const lead = first.slice(0, -1).join(',');
  if (!sameRank || first.length === 0 || shapes.some((s) => s.slice(0, -1).join(',') !== lead)) {
    throw new ShapeError(`graph: concat node '${node.key}' needs inputs that differ only in the last axis, got ${describe()}`);
  }
  return [...first.slice(0, -1), shapes.reduce((n, s) => n + s[s.length - 1]!, 0)];
}

/**
 * A directed acyclic graph of layers with merges: the general form of a functional model, for
 * what `serial` and `residual` cannot express (several branches, concatenations, skips across
 * blocks). `nodes` are in an order where every input is the graph input or an earlier node; the
 * graph's value is node `output`. Layer nodes own the parameter and state subtrees under their
 * keys, so taps report `<key>` paths and metrics see each primitive as usual.
 */
export function graph(nodes: readonly GraphNode[], output: string): Layer {
  const seen = new Set<string>([GRAPH_INPUT]);
  for (const node of nodes) {
    if (node.key.includes('.') || seen.has(node.key)) throw new ShapeError(`graph: node key '${node.key}' must be unique and contain no '.'`);
    const missing = node.inputs.find((i) => !seen.has(i));
    if (missing !== undefined) throw new ShapeError(`graph: node '${node.key}' reads '${missing}', which is not the input or an earlier node`);
    if ('merge' in node && node.inputs.length < 2) throw new ShapeError(`graph: merge node '${node.key}' needs at least two inputs`);
    seen.add(node.key);
  }
  if (!seen.has(output)) throw new ShapeError(`graph: output '${output}' is not a node`);
  const layerNodes = nodes.filter((n): n is Extract<GraphNode, { layer: Layer }> => 'layer' in n);
  return {
    kind: 'graph',
    children: layerNodes.map((n) => n.layer),
    withChildren(children) {
      let i = 0;
      return graph(
        nodes.map((n) => ('layer' in n ? { ...n, layer: children[i++]! } : n)),
        output,
      );
    },
    init(rng, inputShape: Shape): LayerInit {
      const params: TensorTree = {};
      const state: TensorTree = {};
      const frozen: string[] = [];
      const shapes = new Map<string, Shape>([[GRAPH_INPUT, inputShape]]);
      try {
        for (const node of nodes) {
          const ins = node.inputs.map((i) => shapes.get(i)!);
          if ('merge' in node) {
            shapes.set(node.key, mergedShape(node, ins));
            continue;
          }
          const child = node.layer.init(rng.fork(node.key), ins[0]!);
          if (Object.keys(child.params).length > 0) params[node.key] = child.params;
          if (Object.keys(child.state).length > 0) state[node.key] = child.state;
          for (const f of child.frozen ?? []) frozen.push(joinPath(node.key, f));
          shapes.set(node.key, child.outputShape);
        }
      } catch (e) {
        tf.dispose([...flattenTree(params), ...flattenTree(state)].map(([, t]) => t));
        throw e;
      }
      return { params, state, outputShape: shapes.get(output)!, frozen };
    },
    apply(params, x, ctx) {
      const values = new Map<string, Tensor>([[GRAPH_INPUT, x]]);
      for (const node of nodes) {
        const ins = node.inputs.map((i) => values.get(i)!);
        let y: Tensor;
        if (!('merge' in node)) y = node.layer.apply(childParams(params, node.key), ins[0]!, childContext(ctx, node.key));
        else if (node.merge === 'add') y = tf.addN(ins);
        else y = tf.concat(ins, -1);
        values.set(node.key, y);
      }
      return values.get(output)!;
    },
  };
}
