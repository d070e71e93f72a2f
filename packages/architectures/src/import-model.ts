/**
 * `importLayersModel`: a TF.js Layers model (tf.sequential, tf.model, or a Keras model through
 * tensorflowjs_converter) as an ordinary overparam `Model` of core primitives with taps, holding
 * copies of the model's weights, so every metric takes its fast path. A layer without a core
 * primitive sends the whole model to the generic path (`import-generic.ts`), which says so.
 */
import { createModel, tf, type Model, type Shape, type Tensor } from '@overparam/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { genericCaveats } from './generic-caveats';
import { genericModel, genericWeightPath } from './import-generic';
import { ModelImportError } from './import-errors';
import { assemble, outputLayer, readNodes, type GenericReason, type PlacedPiece } from './import-graph';

export interface ImportOptions {
  /**
   * A softmax at the output: `false` (default) drops it, so the model outputs logits as the
   * losses here expect (softmax-cross-entropy applies its own softmax); `true` keeps it.
   */
  readonly keepSoftmax?: boolean;
  /** Take the generic path even where every layer is supported (for checking the fast one). */
  readonly forceGeneric?: boolean;
}

/** What the importer did, for people (`describe`) and for records (measure.json / run.json). */
export interface ImportSummary {
  readonly source: string;
  /** `fast`: core primitives with taps; `generic`: the Layers model differentiated as it is. */
  readonly path: 'fast' | 'generic';
  /** The layers that forced the generic path, and why (empty on the fast path). */
  readonly generic: readonly GenericReason[];
  /** Each Keras layer and the core paths of its primitives (fast path). */
  readonly layers: ReadonlyArray<{ readonly name: string; readonly className: string; readonly paths: readonly string[] }>;
  /** Whether a final softmax was dropped (the model then outputs logits). */
  readonly droppedSoftmax: boolean;
  /** Generic path: layers whose tfjs gradients are known to fail or be wrong on the active backend. */
  readonly caveats: readonly string[];
  /** Config settings tfjs applies only inside its own `fit` (regularizers, constraints), by layer. */
  readonly ignored: ReadonlyArray<{ readonly layer: string; readonly settings: readonly string[] }>;
}

/** A weight of the Layers model (its Keras name) and where the import holds its current value. */
export interface OriginWeight {
  readonly name: string;
  readonly kind: 'param' | 'state';
  /** The path in the import's `params` (kind `param`) or `state` tree. */
  readonly path: string;
}

/** What writing the import back as a Layers model needs (`modelFiles`): the topology and where each weight went. */
export interface ImportOrigin {
  /** The Layers model's topology as `model.toJSON` gives it (the final softmax included). */
  readonly topology: Record<string, unknown>;
  readonly weights: readonly OriginWeight[];
}

export interface ImportedModel extends Model {
  readonly imported: ImportSummary;
  readonly origin: ImportOrigin;
}

function inputShapeOf(model: LayersModel): Shape {
  const shape = model.inputs[0]!.shape.slice(1);
  if (shape.some((d) => d === null)) throw new ModelImportError(`model '${model.name}' has an input shape [${shape.join(', ')}] with unknown dimensions; give its input layer a full shape`);
  return shape as number[];
}

/** A weight of a Keras layer by the last part of its name (`kernel`, `moving_mean`, …). */
function kerasWeight(placed: PlacedPiece, suffix: string): { name: string; value: Tensor } {
  const w = placed.node.source.weights.find((v) => v.originalName.split('/').at(-1) === suffix);
  if (w === undefined) throw new ModelImportError(`layer '${placed.node.name}' (${placed.node.className}) has no weight '${suffix}'`, { layer: placed.node.name });
  return { name: w.originalName, value: w.read() };
}

/**
 * Copies the Keras weights into the core model's parameters and state, and says where each went.
 * A weight left behind would make the import compute another function (and an export lose it),
 * so every weight of the source must find a place.
 */
function copyWeights(model: Model, placed: readonly PlacedPiece[], source: LayersModel): OriginWeight[] {
  const weights: Array<{ path: string; shape: readonly number[]; values: Float32Array }> = [];
  const state = new Map<string, Tensor>();
  const origin: OriginWeight[] = [];
  for (const p of placed) {
    for (const [key, suffix] of Object.entries(p.piece.params ?? {})) {
      const { name, value } = kerasWeight(p, suffix);
      weights.push({ path: `${p.path}.${key}`, shape: value.shape, values: value.dataSync() as Float32Array });
      origin.push({ name, kind: 'param', path: `${p.path}.${key}` });
    }
    for (const [key, suffix] of Object.entries(p.piece.state ?? {})) {
      const { name, value } = kerasWeight(p, suffix);
      state.set(`${p.path}.${key}`, tf.clone(value));
      origin.push({ name, kind: 'state', path: `${p.path}.${key}` });
    }
  }
  const left = source.weights.find((w) => !origin.some((o) => o.name === w.originalName));
  if (left !== undefined) {
    tf.dispose([...state.values()]);
    throw new ModelImportError(`weight '${left.originalName}' has no place in the import; import with { forceGeneric: true }`, { layer: left.originalName.split('/')[0]! });
  }
  try {
    model.writeWeights(weights);
  } catch (e) {
    throw new ModelImportError(`weights do not fit the imported structure: ${(e as Error).message}`, {}, { cause: e });
  }
  model.commitState(state);
  return origin;
}

function topologyOf(source: LayersModel): Record<string, unknown> {
  return source.toJSON(null, false) as Record<string, unknown>;
}

function sameShape(a: Shape, b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The Layers model as an overparam Model (see the file comment); the Layers model is left as it is. */
export function importLayersModel(source: LayersModel, options: ImportOptions = {}): ImportedModel {
  const inputShape = inputShapeOf(source);
  const outputShape = source.outputs[0]!.shape.slice(1);
  const { nodes, generic } = readNodes(source, options.keepSoftmax ?? false);
  const ignored = nodes.filter((n) => n.ignored.length > 0).map((n) => ({ layer: n.name, settings: n.ignored }));
  const forced = options.forceGeneric === true ? [{ layer: source.name, className: source.getClassName(), reason: 'forceGeneric was set' }] : [];
  if (generic.length > 0 || forced.length > 0) {
    const model = genericModel(source, source.name, inputShape, outputShape as number[]);
    const summary: ImportSummary = { source: source.name, path: 'generic', generic: [...generic, ...forced], layers: [], droppedSoftmax: false, caveats: genericCaveats(source), ignored };
    const weights = source.weights.map((w): OriginWeight => ({ name: w.originalName, kind: w.trainable ? 'param' : 'state', path: genericWeightPath(w.originalName) }));
    return { ...model, imported: summary, origin: { topology: topologyOf(source), weights } };
  }
  const last = outputLayer(source);
  const outputNode = last.name;
  const { layer, placed } = assemble(nodes, outputNode);
  const model = createModel(layer, { inputShape, name: source.name });
  let weights: OriginWeight[];
  try {
    if (!sameShape(model.outputShape, outputShape)) {
      throw new ModelImportError(`model '${source.name}' outputs [${outputShape.join(', ')}] but its import outputs [${model.outputShape.join(', ')}]`, { layer: outputNode });
    }
    weights = copyWeights(model, placed, source);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const config = last.getConfig() as Record<string, unknown>;
  const droppedSoftmax = options.keepSoftmax !== true && (config.activation === 'softmax' || last.getClassName() === 'Softmax');
  const layers = nodes.map((n) => ({ name: n.name, className: n.className, paths: placed.filter((p) => p.node === n).map((p) => p.path) }));
  const imported: ImportSummary = { source: source.name, path: 'fast', generic: [], layers, droppedSoftmax, caveats: [], ignored };
  return { ...model, imported, origin: { topology: topologyOf(source), weights } };
}

/** One line saying which path an import took and, for the generic path, which layers forced it: what a tool prints once. */
export function importNotice(summary: ImportSummary): string {
  if (summary.path === 'fast') {
    const dropped = summary.droppedSoftmax ? '; its final softmax is left to the loss (outputs are logits)' : '';
    return `${summary.source}: fast path, ${summary.layers.length} layers as core primitives${dropped}`;
  }
  const why = summary.generic.map((g) => `${g.layer} (${g.className}): ${g.reason}`).join('; ');
  const caveats = summary.caveats.length > 0 ? `; caveats: ${summary.caveats.join('; ')}` : '';
  return `${summary.source}: generic path (per-example metrics run one backward pass per example) because ${why}${caveats}`;
}
