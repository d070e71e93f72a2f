/**
 * A Layers model's topology → one core layer. Layers in a chain become `serial`; a fork whose two
 * branches (each a chain, one possibly empty) meet again at an Add becomes `residual`; anything
 * else (more branches, concatenations, skips across blocks) becomes a `graph` of the same nodes.
 */
import { GRAPH_INPUT, graph, joinPath, residual, serial, type GraphNode, type Layer, type Shape } from '@overparam/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ModelImportError, UnsupportedLayer } from './import-errors';
import { ignoredSettings, mergeClasses, piecesFor, type Piece } from './import-layers';

export type KerasLayer = LayersModel['layers'][number];

/** One layer of the Layers model, converted. */
export interface ImportNode {
  readonly name: string;
  readonly className: string;
  readonly source: KerasLayer;
  /** Layer names (or GRAPH_INPUT) it reads, in order. */
  readonly inputs: readonly string[];
  readonly pieces: readonly Piece[];
  readonly merge?: 'add' | 'concat';
  readonly ignored: readonly string[];
}

/** A layer the fast path cannot take, and why. */
export interface GenericReason {
  readonly layer: string;
  readonly className: string;
  readonly reason: string;
}

/** Where each piece of a Keras layer ended up in the core model. */
export interface PlacedPiece {
  readonly node: ImportNode;
  readonly piece: Piece;
  readonly path: string;
}

/** A node's input shape without the batch axis (the first input's, for a merge). */
function shapeOf(shapes: unknown): Shape {
  const list = shapes as unknown[];
  const first = Array.isArray(list[0]) ? (list[0] as number[]) : (list as number[]);
  return first.slice(1);
}

/** The layer that computes the model's (single) output. */
export function outputLayer(model: LayersModel): KerasLayer {
  return model.outputs[0]!.sourceLayer as KerasLayer;
}

/** The model's layers in topological order with their inputs, converted where a rule exists. */
export function readNodes(model: LayersModel, keepSoftmax: boolean): { nodes: ImportNode[]; generic: GenericReason[] } {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new ModelImportError(`model '${model.name}' has ${model.inputs.length} inputs and ${model.outputs.length} outputs; the importer takes models with one of each`);
  }
  const outputName = outputLayer(model).name;
  const nodes: ImportNode[] = [];
  const generic: GenericReason[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    const where = { layer: layer.name, className };
    if (layer.inboundNodes.length !== 1) {
      generic.push({ ...where, reason: `applied ${layer.inboundNodes.length} times (shared weights)` });
      continue;
    }
    const inbound = layer.inboundNodes[0]!;
    const inputs = inbound.inboundLayers.map((l) => (l.getClassName() === 'InputLayer' ? GRAPH_INPUT : l.name));
    const config = layer.getConfig() as Record<string, unknown>;
    const ignored = ignoredSettings(config);
    const merge = mergeClasses[className];
    try {
      if (inbound.tensorIndices.some((t) => t !== 0)) throw new UnsupportedLayer('reads the second output of a layer');
      if (merge === 'concat' && config.axis !== -1 && config.axis !== shapeOf(inbound.inputShapes).length) throw new UnsupportedLayer(`concatenation along axis ${String(config.axis)} (supported: the last axis)`);
      const pieces = merge !== undefined ? [] : piecesFor({ className, name: layer.name, config, inputShape: shapeOf(inbound.inputShapes), isOutput: layer.name === outputName, keepSoftmax });
      nodes.push({ name: layer.name, className, source: layer, inputs, pieces, ignored, ...(merge === undefined ? {} : { merge }) });
    } catch (e) {
      if (!(e instanceof UnsupportedLayer)) throw e;
      generic.push({ ...where, reason: e.reason });
    }
  }
  return { nodes, generic };
}

type Item = { readonly node: ImportNode } | { readonly main: Item[]; readonly shortcut?: Item[] };

/** The chain from `start` to `stop` with residual blocks, or undefined where the graph is not of that form. */
function chain(start: string, stop: string, byName: Map<string, ImportNode>, consumers: Map<string, string[]>): Item[] | undefined {
  const items: Item[] = [];
  let cur = start;
  while (cur !== stop) {
    const next = consumers.get(cur) ?? [];
    if (next.length === 1) {
      const node = byName.get(next[0]!)!;
      if (node.merge !== undefined) return undefined;
      items.push({ node });
      cur = node.name;
      continue;
    }
    if (next.length !== 2) return undefined;
    // A fork: follow each branch to the merge that ends it.
    const branches = next.map((first) => {
      const path: ImportNode[] = [];
      let node = byName.get(first)!;
      while (node.merge === undefined) {
        path.push(node);
        const after = consumers.get(node.name) ?? [];
        if (after.length !== 1) return undefined;
        node = byName.get(after[0]!)!;
      }
      return { path, merge: node };
    });
    const [a, b] = branches;
    if (a === undefined || b === undefined || a.merge !== b.merge || a.merge.merge !== 'add' || a.merge.inputs.length !== 2) return undefined;
    if (a.path.length === 0 && b.path.length === 0) return undefined;
    const lastOf = (br: { path: ImportNode[] }) => br.path.at(-1)?.name ?? cur;
    // The main branch is the one the Add reads first, unless it is the identity.
    const [main, short] = b.path.length > 0 && (a.path.length === 0 || a.merge.inputs[0] === lastOf(b)) ? [b, a] : [a, b];
    const asItems = (path: ImportNode[]) => path.map((node) => ({ node }));
    items.push(short.path.length === 0 ? { main: asItems(main.path) } : { main: asItems(main.path), shortcut: asItems(short.path) });
    cur = a.merge.name;
  }
  return items;
}

function place(node: ImportNode, prefix: string, placed: PlacedPiece[]): Layer[] {
  return node.pieces.map((piece, i) => {
    placed.push({ node, piece, path: joinPath(prefix, String(i)) });
    return piece.layer;
  });
}

function buildChain(items: readonly Item[], prefix: string, placed: PlacedPiece[]): Layer {
  const layers: Layer[] = [];
  for (const item of items) {
    const path = joinPath(prefix, String(layers.length));
    if ('node' in item) {
      for (const piece of item.node.pieces) {
        placed.push({ node: item.node, piece, path: joinPath(prefix, String(layers.length)) });
        layers.push(piece.layer);
      }
    } else {
      const main = buildChain(item.main, joinPath(path, 'main'), placed);
      layers.push(residual(main, item.shortcut === undefined ? undefined : buildChain(item.shortcut, joinPath(path, 'shortcut'), placed)));
    }
  }
  return serial(...layers);
}

/** A graph key from a layer name: unique and without the dots that separate paths. */
function keyOf(name: string): string {
  return name.replaceAll('.', '_');
}

/** The core layer for converted nodes (all of the model's layers), and where each piece went. */
export function assemble(nodes: readonly ImportNode[], output: string): { layer: Layer; placed: PlacedPiece[] } {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, string[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n.name]);
  const placed: PlacedPiece[] = [];
  const items = chain(GRAPH_INPUT, output, byName, consumers);
  if (items !== undefined) return { layer: buildChain(items, '', placed), placed };
  const graphNodes: GraphNode[] = nodes.map((n) => {
    const key = keyOf(n.name);
    const inputs = n.inputs.map((i) => (i === GRAPH_INPUT ? i : keyOf(i)));
    if (n.merge !== undefined) return { key, inputs, merge: n.merge };
    const pieces = place(n, key, placed);
    return { key, inputs: [inputs[0]!] as const, layer: serial(...pieces) };
  });
  return { layer: graph(graphNodes, keyOf(output)), placed };
}
