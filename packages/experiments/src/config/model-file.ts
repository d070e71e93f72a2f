import { ModelImportError, outlineModelJson, type ModelJsonOutline } from '@overparam/architectures';
import { ConfigError, OverparamError } from '@overparam/core';

/**
 * A run config's `model`: a TF.js Layers model on disk (model.json, its weight shards beside it)
 * trained instead of a registry architecture. The config records the file's path and the SHA-256
 * of its content (model.json and every shard, `modelSha256`), so the content is part of the run's
 * identity: a sweep cell's id and a checkpoint's config hash change when the file does, and a run
 * is never resumed or replayed on other weights than it started from.
 *
 * Paths are stored absolute: a run's config.json is replayed (`--config`) and resumed from any
 * folder, so a path relative to wherever the run was started would name another file, or none.
 * A relative path is resolved against the folder of the file that names it (a config or sweep
 * file, by the CLI) or else the working directory (a flag, or a config given to the API).
 *
 * Files are read through `process.getBuiltinModule`, not imported, so this package's main entry
 * still loads in a browser (where a model is imported with `importLayersModel` instead).
 */

interface NodeParts {
  readonly fs: typeof import('node:fs');
  readonly path: typeof import('node:path');
  readonly crypto: typeof import('node:crypto');
}

function node(): NodeParts {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new ConfigError('model', 'a model file is read from disk and needs Node.js (>= 20.16)', 'in a browser, import a tf.LayersModel with importLayersModel');
  }
  return { fs: proc.getBuiltinModule('node:fs'), path: proc.getBuiltinModule('node:path'), crypto: proc.getBuiltinModule('node:crypto') };
}

/** `file` as the config stores it: absolute, resolved against `base` (default: the working directory). */
export function resolveModelPath(file: string, base?: string): string {
  const { path } = node();
  return base === undefined ? path.resolve(file) : path.resolve(base, file);
}

/** A model file's bytes (model.json and its shards, by the names model.json uses) and their digest. */
export interface ModelFileBytes {
  /** Absolute path of model.json. */
  readonly file: string;
  /** Hex SHA-256 over model.json and then each shard in manifest order, each preceded by its length. */
  readonly sha256: string;
  /** model.json under its own path, each shard under the path its manifest lists. */
  readonly bytes: ReadonlyMap<string, Uint8Array>;
  /** Whether any layer is a convolution (the backend picks its settings by it). */
  readonly convolutional: boolean;
}

function readOne(fs: NodeParts['fs'], file: string, what: string): Uint8Array {
  try {
    const buf = fs.readFileSync(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message.split('\n')[0];
    throw new ConfigError('model', `cannot read ${what} ${file} (${reason})`, 'give the path of a model.json written by model.save or tensorflowjs_converter, its weight shards beside it');
  }
}

/** model.json's shards and convolutions, by the same parser that imports it; its errors as the config's. */
function outline(file: string, json: Uint8Array): ModelJsonOutline {
  try {
    return outlineModelJson(file, json);
  } catch (e) {
    if (e instanceof ModelImportError) throw new ConfigError('model', e.message);
    throw e;
  }
}

/** Reads model.json at `file` (absolute) and every shard its manifest lists; a file missing is a ConfigError naming it. */
export function readModelFiles(file: string): ModelFileBytes {
  const { fs, path, crypto } = node();
  const json = readOne(fs, file, 'model file');
  const bytes = new Map<string, Uint8Array>([[file, json]]);
  const hash = crypto.createHash('sha256');
  const add = (b: Uint8Array) => hash.update(`${b.byteLength}\n`).update(b);
  add(json);
  const { shards, convolutional } = outline(file, json);
  for (const shard of shards) {
    const b = readOne(fs, path.resolve(path.dirname(file), shard), `weight shard of ${path.basename(file)}`);
    bytes.set(shard, b);
    add(b);
  }
  return { file, sha256: hash.digest('hex'), bytes, convolutional };
}

/** Digests of files read before, with the size and time of each file they covered. */
const digests = new Map<string, { readonly stamps: ReadonlyArray<readonly [string, string]>; readonly sha256: string }>();

/**
 * The SHA-256 `readModelFiles` gives, remembered while model.json and its shards keep their size
 * and modification time: a config parsed again (each sweep cell) does not read its model again.
 */
export function modelFileDigest(file: string): string {
  const { fs, path } = node();
  const stamp = (f: string) => {
    try {
      const s = fs.statSync(f);
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return 'absent';
    }
  };
  const known = digests.get(file);
  if (known !== undefined && known.stamps.every(([f, s]) => stamp(f) === s)) return known.sha256;
  const files = readModelFiles(file);
  const covered = [...files.bytes.keys()].map((k) => (k === file ? file : path.resolve(path.dirname(file), k)));
  digests.set(file, { stamps: covered.map((f) => [f, stamp(f)] as const), sha256: files.sha256 });
  return files.sha256;
}

/**
 * Refuses a model file whose content is not the one the config recorded: a resumed run would
 * continue on other weights than its checkpoint started from, a replayed one would not replay.
 */
export function checkModelDigest(files: ModelFileBytes, recorded: string): void {
  if (files.sha256 === recorded) return;
  throw new OverparamError(
    'RUN_MISMATCH',
    `${files.file} (or a weight shard beside it) changed since the config recorded it (sha256 ${recorded.slice(0, 12)}… → ${files.sha256.slice(0, 12)}…), so this would not be the run the config describes; restore the file, or start a new run from the file as it is now (train --model ${files.file} --out NEW_DIR)`,
  );
}
