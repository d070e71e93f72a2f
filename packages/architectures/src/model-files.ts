/**
 * A Layers model saved as files, read and written here.
 *
 * Reading: `model.json` (format `layers-model`, as tfjs's
 * `model.save` and tensorflowjs_converter write it, Keras 2 topologies included) and the weight
 * shards its manifest lists. Every way such files go wrong (not JSON, another format, an unknown
 * layer class, a missing or short shard, a weight of the wrong shape) is a one-line
 * `ModelImportError` naming the file or layer, raised before a model exists. The bytes come from
 * a reader, so the same code serves files in Node (`node.ts`) and URLs in a browser.
 *
 * Writing (`modelFiles`): an imported model back in that format, with its current weights under
 * the Keras names they came from, as bytes; `node.ts` puts them on disk.
 */
import { flattenTree, tf, type Variable } from '@overparam/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { hasConvolution } from './convolution-classes';
import { ModelExportError, ModelImportError } from './import-errors';
import type { ImportedModel } from './import-model';

/** Reads a file named relative to model.json's folder (or model.json itself). */
export type ReadBytes = (path: string) => Promise<Uint8Array>;

interface WeightEntry {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool' | string;
  readonly quantization?: { readonly dtype: string };
}

interface ModelJson {
  readonly format?: string;
  readonly generatedBy?: string;
  readonly modelTopology?: Record<string, unknown>;
  readonly weightsManifest?: ReadonlyArray<{ readonly paths: readonly string[]; readonly weights: readonly WeightEntry[] }>;
}

const bytesPer: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function entryBytes(file: string, w: WeightEntry): number {
  const dtype = w.quantization?.dtype ?? w.dtype;
  const per = bytesPer[dtype];
  if (per === undefined) throw new ModelImportError(`${file}: weight '${w.name}' has dtype '${dtype}', which the loader does not read`, { file });
  return per * w.shape.reduce((a, b) => a * b, 1);
}

function parseModelJson(file: string, bytes: Uint8Array): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ModelImportError(`${file} is not JSON (${(e as Error).message}); give the model.json that model.save or tensorflowjs_converter wrote`, { file });
  }
  const m = json as ModelJson;
  if (typeof json !== 'object' || json === null || typeof m.modelTopology !== 'object' || m.modelTopology === null) {
    throw new ModelImportError(`${file} has no modelTopology; give the model.json of a Layers model`, { file });
  }
  if (m.format !== undefined && m.format !== 'layers-model') {
    throw new ModelImportError(`${file} has format '${m.format}', not 'layers-model'; convert the model with tensorflowjs_converter --output_format=tfjs_layers_model`, { file });
  }
  const groups: unknown = m.weightsManifest ?? [];
  const fine = (g: { paths?: unknown; weights?: unknown }) => Array.isArray(g?.paths) && g.paths.every((p) => typeof p === 'string') && Array.isArray(g.weights);
  if (!Array.isArray(groups) || !groups.every(fine)) {
    throw new ModelImportError(`${file} has a weightsManifest that is not a list of { paths, weights } groups; give the model.json that model.save or tensorflowjs_converter wrote`, { file });
  }
  return m;
}

/** What model.json says before any weight is read or model built. */
export interface ModelJsonOutline {
  /** The weight shards its manifest lists, in manifest order, relative to model.json. */
  readonly shards: readonly string[];
  /** Whether any layer is a convolution (a backend picks its settings by it). */
  readonly convolutional: boolean;
}

/** Parses model.json (`bytes`, read from `file`) as `readLayersModel` does, with the same errors. */
export function outlineModelJson(file: string, bytes: Uint8Array): ModelJsonOutline {
  const json = parseModelJson(file, bytes);
  return { shards: (json.weightsManifest ?? []).flatMap((g) => g.paths), convolutional: hasConvolution(json.modelTopology) };
}

/** The top-level layer configs of a topology (Keras 2's `model_config` or tfjs's own). */
function layerConfigs(topology: Record<string, unknown>): Array<{ class_name?: string; config?: { name?: string } }> {
  const model = (topology.model_config ?? topology) as { config?: unknown };
  const config = model.config as { layers?: unknown } | unknown[] | undefined;
  const layers = Array.isArray(config) ? config : config?.layers;
  return Array.isArray(layers) ? layers : [];
}

function checkClasses(file: string, topology: Record<string, unknown>): void {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const l of layerConfigs(topology)) {
    const className = l.class_name ?? '?';
    if (!(className in known)) {
      const layer = l.config?.name ?? '?';
      throw new ModelImportError(`${file}: layer '${layer}' has class '${className}', which TF.js does not know; register it with tf.serialization.registerClass before loading`, { file, layer });
    }
  }
}

async function readShards(file: string, json: ModelJson, read: ReadBytes): Promise<{ specs: WeightEntry[]; data: ArrayBuffer }> {
  const specs: WeightEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest ?? []) {
    const groupBytes: Uint8Array[] = [];
    for (const path of group.paths) {
      try {
        groupBytes.push(await read(path));
      } catch (e) {
        throw new ModelImportError(`${path}: weight shard listed in ${file} cannot be read (${(e as Error).message.split('\n')[0]}); put it beside model.json`, { file: path }, { cause: e });
      }
    }
    const have = groupBytes.reduce((n, b) => n + b.byteLength, 0);
    const need = group.weights.reduce((n, w) => n + entryBytes(file, w), 0);
    if (have !== need) {
      throw new ModelImportError(`${group.paths.join(', ')}: the shards hold ${have} bytes but ${file} lists weights of ${need} bytes; the weight files are ${have < need ? 'truncated' : 'not the ones it lists'}`, { file: group.paths[0] ?? file });
    }
    specs.push(...group.weights);
    parts.push(...groupBytes);
  }
  const data = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    data.set(p, offset);
    offset += p.byteLength;
  }
  return { specs, data: data.buffer };
}

/** Sets each layer weight from the file, by name; names the layer where a weight is missing or of another shape. */
function assignWeights(file: string, model: tfl.LayersModel, named: tf.NamedTensorMap): void {
  const used = new Set<string>();
  const values = model.weights.map((w) => {
    const t = named[w.originalName];
    const layer = w.originalName.split('/')[0]!;
    if (t === undefined) throw new ModelImportError(`${file}: layer '${layer}' needs weight '${w.originalName}', which the weights manifest does not list`, { file, layer });
    if (t.shape.join(',') !== w.shape.join(',')) {
      throw new ModelImportError(`${file}: weight '${w.originalName}' of layer '${layer}' has shape [${t.shape.join(', ')}] in the file but the layer needs [${w.shape.join(', ')}]`, { file, layer });
    }
    used.add(w.originalName);
    return t;
  });
  const extra = Object.keys(named).find((n) => !used.has(n));
  if (extra !== undefined) throw new ModelImportError(`${file}: the weights manifest lists '${extra}', which no layer of the model has`, { file });
  model.setWeights(values);
}

/** The Layers model in `file` (model.json), its shards read through `read`. */
export async function readLayersModel(file: string, read: ReadBytes): Promise<tfl.LayersModel> {
  const json = parseModelJson(file, await read(file));
  checkClasses(file, json.modelTopology!);
  const { specs, data } = await readShards(file, json, read);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology! }));
  } catch (e) {
    throw new ModelImportError(`${file}: TF.js cannot build the model (${(e as Error).message.split('\n')[0]})`, { file }, { cause: e });
  }
  const named = tf.io.decodeWeights(data, specs as tf.io.WeightsManifestEntry[]);
  try {
    assignWeights(file, model, named);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(named));
  }
  return model;
}

/** model.json's content and the weight shards it lists, by file name relative to model.json. */
export interface ModelFiles {
  readonly modelJson: ModelJson;
  readonly shards: ReadonlyArray<{ readonly path: string; readonly bytes: Uint8Array }>;
}

/** The size at which tfjs's own `model.save` cuts weight shards (so a browser can cache each). */
const shardSize = 4 * 1024 * 1024;

/**
 * The import as Layers model files: its source's topology (a dropped final softmax is there
 * again) and shards holding its current parameters and state (after training, the trained ones),
 * so `tf.loadLayersModel` (or `readLayersModel`) gives a model computing what the import computes.
 */
export async function modelFiles(model: ImportedModel): Promise<ModelFiles> {
  const trees = { param: new Map(flattenTree(model.params)), state: new Map(flattenTree(model.state)) } satisfies Record<string, Map<string, Variable>>;
  const entries: WeightEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const w of model.origin.weights) {
    const variable = trees[w.kind].get(w.path);
    if (variable === undefined || variable.isDisposed) {
      throw new ModelExportError(`${model.name}: weight '${w.name}' (${w.kind} ${w.path}) is no longer in the model; export it before disposing it`);
    }
    const values = (await variable.data()) as Float32Array;
    entries.push({ name: w.name, shape: [...variable.shape], dtype: 'float32' });
    parts.push(new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)));
  }
  const all = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of parts) {
    all.set(b, offset);
    offset += b.byteLength;
  }
  const count = Math.max(1, Math.ceil(all.byteLength / shardSize));
  const shards = Array.from({ length: count }, (_, i) => ({ path: `group1-shard${i + 1}of${count}.bin`, bytes: all.subarray(i * shardSize, (i + 1) * shardSize) }));
  const modelJson: ModelJson = {
    format: 'layers-model',
    generatedBy: 'overparam',
    modelTopology: model.origin.topology,
    weightsManifest: [{ paths: shards.map((s) => s.path), weights: entries }],
  };
  return { modelJson, shards };
}
