import { importedArchitecture, importNotice, loadImported, ModelImportError, registerArchitecture, type ImportedModel } from '@overparam/architectures';

/**
 * A TF.js Layers model from the user's disk (model.json and the weight shards it lists, chosen
 * together in one file dialog), read with the same reader as files on disk or URLs, imported, and
 * offered in every run card's architecture list as `uploaded:<its name>`: a run of it starts from
 * the file's weights and is trained and measured like any architecture.
 */

/** What an uploaded model's architecture name starts with. */
export const UPLOADED_PREFIX = 'uploaded:';

/** The imports behind the uploaded architectures (their builds copy these weights), by name. */
const uploaded = new Map<string, ImportedModel>();

const baseName = (path: string) => path.split('/').at(-1)!;

/** model.json among the chosen files: exactly one .json. */
function modelJsonOf(files: readonly File[]): File {
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (json.length !== 1) {
    const chose = json.length === 0 ? 'no .json file' : `${json.length} .json files (${json.map((f) => f.name).join(', ')})`;
    throw new ModelImportError(`the chosen files hold ${chose}; choose one model.json together with the .bin weight shards it lists`);
  }
  return json[0]!;
}

/**
 * Imports the chosen files and registers the model as an architecture (replacing an earlier
 * upload of the same name). Returns its architecture name and the one-line import notice.
 */
export async function registerUploadedModel(files: readonly File[]): Promise<{ arch: string; notice: string }> {
  const json = modelJsonOf(files);
  const byName = new Map(files.map((f) => [f.name, f]));
  const model = await loadImported(json.name, async (path) => {
    const file = byName.get(baseName(path));
    if (file === undefined) throw new Error(`${baseName(path)} is not among the chosen files; choose it together with ${json.name}`);
    return new Uint8Array(await file.arrayBuffer());
  });
  const arch = `${UPLOADED_PREFIX}${model.name}`;
  try {
    registerArchitecture(importedArchitecture(arch, model));
  } catch (e) {
    model.dispose();
    throw e;
  }
  uploaded.get(arch)?.dispose();
  uploaded.set(arch, model);
  return { arch, notice: importNotice(model.imported) };
}
