/**
 * Node-only entry (`@overparam/architectures/node`): loading a Layers model from disk. Kept out
 * of the main entry so the browser bundle never sees `node:fs`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ImportedModel, ImportOptions } from './import-model';
import { loadImported, loadModelUrl } from './load-model';

/** `model.json` at a path (its weight shards beside it) or an http(s) URL, imported as an overparam Model. */
export function loadModelFile(pathOrUrl: string, options: ImportOptions = {}): Promise<ImportedModel> {
  if (/^https?:\/\//.test(pathOrUrl)) return loadModelUrl(pathOrUrl, options);
  const dir = dirname(resolve(pathOrUrl));
  return loadImported(pathOrUrl, async (path) => new Uint8Array(await readFile(path === pathOrUrl ? pathOrUrl : resolve(dir, path))), options);
}
