import { OverparamError, ShapeError, tf, type Model } from '@overparam/core';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A model's parameters in TensorFlow.js's weights-manifest format: `weights.json` holds a
 * `weightsManifest` exactly as in a tfjs model.json (one group, `paths: ['weights.bin']`, one entry
 * per tensor with name, shape and dtype), and `weights.bin` the float32 values as
 * `tf.io.encodeWeights` lays them out (little-endian, concatenated in manifest order). Tensors are
 * named by their parameter path (`0.w`, `0.b`, …) and listed in layer order, so any reader of the
 * format (tf.io.decodeWeights, or numpy: np.fromfile(…, '<f4')) recovers them.
 */
export const CHECKPOINT_MANIFEST = 'weights.json';
export const CHECKPOINT_BINARY = 'weights.bin';

interface CheckpointFile {
  readonly format: 'overparam-checkpoint';
  readonly modelName: string;
  readonly weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

export async function writeCheckpoint(model: Model, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named = model.parameters.map((p) => ({ name: p.path, tensor: p.variable as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const manifest: CheckpointFile = { format: 'overparam-checkpoint', modelName: model.name, weightsManifest: [{ paths: [CHECKPOINT_BINARY], weights: specs }] };
  await writeFile(join(dir, CHECKPOINT_BINARY), new Uint8Array(data as ArrayBuffer));
  await writeFile(join(dir, CHECKPOINT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new OverparamError('RUN_IO', `cannot read the checkpoint's ${what} ${path}: ${(e as Error).message}; pass a directory written by \`overparam measure\` (${CHECKPOINT_MANIFEST} and ${CHECKPOINT_BINARY})`, { cause: e });
  }
}

/** Loads a checkpoint into `model`; every parameter must be present with its shape. */
export async function readCheckpoint(model: Model, dir: string): Promise<void> {
  const manifest = JSON.parse((await readOrFail(join(dir, CHECKPOINT_MANIFEST), 'manifest')).toString('utf8')) as CheckpointFile;
  const groups = manifest.weightsManifest ?? [];
  const specs = groups.flatMap((g) => g.weights);
  const buffers = await Promise.all(groups.flatMap((g) => g.paths).map((p) => readOrFail(join(dir, p), 'weights file')));
  const joined = Buffer.concat(buffers);
  const bytes = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  const tensors = tf.io.decodeWeights(bytes, specs);
  try {
    const missing = model.parameters.filter((p) => tensors[p.path] === undefined).map((p) => p.path);
    if (missing.length > 0) throw new ShapeError(`checkpoint ${dir} lacks parameters ${missing.join(', ')} of ${model.name}; was it written for another architecture?`);
    model.writeWeights(model.parameters.map((p) => ({ path: p.path, shape: tensors[p.path]!.shape, values: tensors[p.path]!.dataSync() as Float32Array })));
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
}
