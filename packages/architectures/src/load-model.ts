import type { LayersModel } from '@tensorflow/tfjs-layers';
import { importLayersModel, type ImportedModel, type ImportOptions } from './import-model';
import { readLayersModel, type ReadBytes } from './model-files';

/**
 * Reads a Layers model through `read` and imports it. On the fast path the import holds copies
 * of the weights, so the Layers model is disposed; on the generic path the import is that model.
 */
export async function loadImported(file: string, read: ReadBytes, options: ImportOptions = {}): Promise<ImportedModel> {
  const source: LayersModel = await readLayersModel(file, read);
  let model: ImportedModel;
  try {
    model = importLayersModel(source, options);
  } catch (e) {
    source.dispose();
    throw e;
  }
  if (model.imported.path === 'fast') source.dispose();
  return model;
}

/** A Layers model served at `url` (model.json; its shards beside it), imported. Works in a browser and in Node ≥ 18. */
export function loadModelUrl(url: string, options: ImportOptions = {}): Promise<ImportedModel> {
  return loadImported(
    url,
    async (path) => {
      const response = await fetch(new URL(path, url));
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    options,
  );
}
