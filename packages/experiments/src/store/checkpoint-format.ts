import { OverparamError, type NamedArray, type TrainCheckpoint } from '@overparam/core';
import type { RunConfig } from '../config/config';

/**
 * How a checkpoint is laid out as bytes: a JSON manifest and one binary file of tensors. The
 * manifest's `weightsManifest` is TensorFlow.js's own (one group, entries of name, shape and
 * dtype, values little-endian and concatenated in manifest order), so `tf.io.decodeWeights`, or
 * numpy's `fromfile(…, '<f4')`, reads the tensors without overparam. Tensor names say what they
 * are: `param/<path>` (the weights), `state/<path>` (batch-norm statistics), `optimizer/…` and
 * `hook/…`. The rest of the loop's state sits in `train`, as plain JSON.
 *
 * Nothing here touches files, so the memory store and the browser share it.
 */
export const CHECKPOINT_FORMAT = 'overparam-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointManifest {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  readonly modelName: string;
  readonly step: number;
  /** The tensors' file, its exact length and a checksum, so a torn or altered file is caught. */
  readonly tensorsFile: string;
  readonly tensorsBytes: number;
  readonly tensorsChecksum: string;
  readonly weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: 'float32' | 'int32' }> }>;
  /** The loop's state but the tensors; absent in a weights-only checkpoint (`overparam measure`'s). */
  readonly train?: Omit<TrainCheckpoint, 'tensors'>;
  /**
   * The resolved config the run was trained with, and its hash (`configHash`), so a resume whose
   * config.json was edited since is refused (see run-integrity.ts). Absent in older checkpoints.
   */
  readonly runConfig?: { readonly hash: string; readonly values: RunConfig };
}

/** FNV-1a's starting state; `fnv1a` continues a state over more bytes, so a file can be hashed as it grows. */
export const FNV1A_START = 0x811c9dc5;

export function fnv1a(bytes: Uint8Array, state: number = FNV1A_START): number {
  let h = state;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export const hex32 = (h: number) => h.toString(16).padStart(8, '0');

/** FNV-1a over the bytes, 32 bits in hex: catches torn and altered files, cheaply and everywhere. */
export function checksum(bytes: Uint8Array): string {
  return hex32(fnv1a(bytes));
}

function littleEndianBytes(a: NamedArray): Uint8Array {
  const view = new DataView(new ArrayBuffer(a.values.length * 4));
  if (a.dtype === 'int32') a.values.forEach((v, i) => view.setInt32(i * 4, v, true));
  else a.values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return new Uint8Array(view.buffer);
}

/** A checkpoint as a manifest and the bytes of its tensors file. */
export function encodeCheckpoint(
  tensors: readonly NamedArray[],
  options: { modelName: string; step: number; tensorsFile: string; train?: Omit<TrainCheckpoint, 'tensors'>; runConfig?: CheckpointManifest['runConfig'] },
): { manifest: CheckpointManifest; bytes: Uint8Array } {
  const parts = tensors.map(littleEndianBytes);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    bytes.set(p, offset);
    offset += p.length;
  }
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    modelName: options.modelName,
    step: options.step,
    tensorsFile: options.tensorsFile,
    tensorsBytes: bytes.length,
    tensorsChecksum: checksum(bytes),
    weightsManifest: [{ paths: [options.tensorsFile], weights: tensors.map((t) => ({ name: t.name, shape: [...t.shape], dtype: t.dtype })) }],
    ...(options.train === undefined ? {} : { train: options.train }),
    ...(options.runConfig === undefined ? {} : { runConfig: options.runConfig }),
  };
  return { manifest, bytes };
}

function corrupt(where: string, detail: string): OverparamError {
  return new OverparamError(
    'CHECKPOINT_CORRUPT',
    `checkpoint ${where} is corrupt: ${detail}; delete it to start the run over (a run directory keeps its records, which a fresh start replaces)`,
  );
}

/** Parses and checks a manifest's text; `where` names the file in errors. */
export function parseManifest(text: string, where: string): CheckpointManifest {
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(text) as CheckpointManifest;
  } catch (e) {
    throw corrupt(where, `not JSON (${(e as Error).message})`);
  }
  if (manifest?.format !== CHECKPOINT_FORMAT) throw corrupt(where, `not an overparam checkpoint (format '${String(manifest?.format)}')`);
  if (manifest.version !== CHECKPOINT_VERSION) throw corrupt(where, `version ${manifest.version}, this overparam reads version ${CHECKPOINT_VERSION}`);
  if (!Array.isArray(manifest.weightsManifest) || typeof manifest.tensorsFile !== 'string') throw corrupt(where, 'its weightsManifest or tensorsFile is missing');
  return manifest;
}

/** The tensors of a checkpoint, checked against the manifest's length and checksum. */
export function decodeTensors(manifest: CheckpointManifest, bytes: Uint8Array, where: string): NamedArray[] {
  if (bytes.length !== manifest.tensorsBytes) throw corrupt(where, `${manifest.tensorsFile} has ${bytes.length} bytes, the manifest says ${manifest.tensorsBytes}`);
  if (checksum(bytes) !== manifest.tensorsChecksum) throw corrupt(where, `${manifest.tensorsFile} does not match its checksum`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const out: NamedArray[] = [];
  for (const w of manifest.weightsManifest.flatMap((g) => g.weights)) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > bytes.length) throw corrupt(where, `tensor '${w.name}' runs past the end of ${manifest.tensorsFile}`);
    const values = w.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = w.dtype === 'int32' ? view.getInt32(offset + i * 4, true) : view.getFloat32(offset + i * 4, true);
    offset += size * 4;
    out.push({ name: w.name, shape: w.shape, dtype: w.dtype, values });
  }
  return out;
}

export function toTrainCheckpoint(manifest: CheckpointManifest, tensors: NamedArray[], where: string): TrainCheckpoint {
  if (manifest.train === undefined) throw corrupt(where, 'it holds weights only (written by `overparam measure`), not a training state to resume');
  return { ...manifest.train, tensors };
}
