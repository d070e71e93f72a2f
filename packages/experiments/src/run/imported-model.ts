import { importNotice, loadImported, shapeMisfit, type ImportedModel, type ImportSummary } from '@overparam/architectures';
import { ConfigError, type Dataset } from '@overparam/core';
import type { ModelFileBytes } from '../config/model-file';

/**
 * A run's model read from its config's model file (see config/model-file.ts): the bytes already
 * read and checked against the recorded digest are the ones imported, and the model must fit the
 * data before anything is trained or written.
 */

/** What a run records of an imported model (run.json's `model.imported`, measure.json's `model.imported`). */
export interface ImportedModelRecord {
  readonly file: string;
  readonly sha256: string;
  readonly path: ImportSummary['path'];
  /** The layers that forced the generic path, and why (empty on the fast path). */
  readonly generic: ImportSummary['generic'];
  readonly droppedSoftmax: boolean;
  /** The line a tool prints once (`importNotice`). */
  readonly notice: string;
}

export function importedRecord(files: Pick<ModelFileBytes, 'file' | 'sha256'>, summary: ImportSummary): ImportedModelRecord {
  return { file: files.file, sha256: files.sha256, path: summary.path, generic: summary.generic, droppedSoftmax: summary.droppedSoftmax, notice: importNotice(summary) };
}

/** The model in `files`, imported and checked against the data (disposed again when it does not fit). */
export async function loadRunModel(files: ModelFileBytes, data: Dataset, outputDim: number): Promise<ImportedModel> {
  const model = await loadImported(files.file, async (path) => {
    const bytes = files.bytes.get(path);
    if (bytes === undefined) throw new Error(`${path} was not read with ${files.file}`);
    return bytes;
  });
  const misfit = shapeMisfit(files.file, model, { inputShape: data.inputShape, outputDim, name: data.name, task: data.task });
  if (misfit !== undefined) {
    model.dispose();
    throw new ConfigError('model', misfit.problem, misfit.fix);
  }
  return model;
}
