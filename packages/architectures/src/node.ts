/**
 * Node-only entry (`@overparam/architectures/node`): loading a Layers model from disk and writing
 * an imported one back. Kept out of the main entry so the browser bundle never sees `node:fs`.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ModelExportError } from './import-errors';
import type { ImportedModel, ImportOptions } from './import-model';
import { loadImported, loadModelUrl } from './load-model';
import { modelFiles } from './model-files';

/** `model.json` at a path (its weight shards beside it) or an http(s) URL, imported as an overparam Model. */
export function loadModelFile(pathOrUrl: string, options: ImportOptions = {}): Promise<ImportedModel> {
  if (/^https?:\/\//.test(pathOrUrl)) return loadModelUrl(pathOrUrl, options);
  const dir = dirname(resolve(pathOrUrl));
  return loadImported(pathOrUrl, async (path) => new Uint8Array(await readFile(path === pathOrUrl ? pathOrUrl : resolve(dir, path))), options);
}

function firstLine(e: unknown): string {
  return (e as Error).message.split('\n')[0]!;
}

/**
 * Writes the import with its current weights as `dir/model.json` and its weight shards, loadable
 * by `tf.loadLayersModel` and `loadModelFile`. Every file goes to a temporary name first and is
 * renamed into place, model.json last, so a failed write leaves no model.json listing missing or
 * partial shards (an earlier model.json in `dir` stays as it was until the new one is complete).
 */
export async function saveModelFiles(model: ImportedModel, dir: string): Promise<void> {
  const { modelJson, shards } = await modelFiles(model);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new ModelExportError(`${dir}: cannot create the folder for the model (${firstLine(e)}); give a writable folder`, { file: dir }, { cause: e });
  }
  const files = [...shards, { path: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) }];
  const temp = (path: string) => join(dir, `.${path}.${process.pid}.tmp`);
  let current = dir;
  try {
    for (const f of files) {
      current = join(dir, f.path);
      await writeFile(temp(f.path), f.bytes);
    }
    for (const f of files) {
      current = join(dir, f.path);
      await rename(temp(f.path), current);
    }
  } catch (e) {
    // Best effort: a temporary name that cannot be removed must not hide why the write failed.
    await Promise.all(files.map((f) => rm(temp(f.path), { force: true }).catch(() => undefined)));
    throw new ModelExportError(`${current}: cannot write the model file (${firstLine(e)}); give a writable folder with room for it`, { file: current }, { cause: e });
  }
}
