import { importNotice, loadImported, type ImportedModel, type ImportSummary } from '@overparam/architectures';
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

const shape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Why `model` cannot take `data`'s examples or give its targets (`outputDim` values), or undefined when it fits. */
export function shapeProblem(model: ImportedModel, file: string, data: Dataset, outputDim: number): ConfigError | undefined {
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  if (shape(model.inputShape) !== shape(data.inputShape)) {
    const reshape = size(model.inputShape) === size(data.inputShape) ? `; its values fit: start the model with a Reshape to ${shape(model.inputShape)} from input ${shape(data.inputShape)}` : '';
    return new ConfigError('model', `${file} takes inputs of shape ${shape(model.inputShape)}, data set ${data.name} has examples of shape ${shape(data.inputShape)}`, `give a model whose input is ${shape(data.inputShape)}${reshape}`);
  }
  const outputs = size(model.outputShape);
  if (model.outputShape.length !== 1 || outputs !== outputDim) {
    const units = model.outputShape.length === 1 ? `${outputs} unit${outputs === 1 ? '' : 's'}` : `shape ${shape(model.outputShape)}`;
    const wants = data.task === 'classification' ? `${outputDim} classes` : `targets of ${outputDim} value${outputDim === 1 ? '' : 's'}`;
    return new ConfigError('model', `the model outputs ${units}, data set ${data.name} has ${wants}`, `give a model whose last layer has ${outputDim} units`);
  }
  return undefined;
}

/** The model in `files`, imported and checked against the data (disposed again when it does not fit). */
export async function loadRunModel(files: ModelFileBytes, data: Dataset, outputDim: number): Promise<ImportedModel> {
  const model = await loadImported(files.file, async (path) => {
    const bytes = files.bytes.get(path);
    if (bytes === undefined) throw new Error(`${path} was not read with ${files.file}`);
    return bytes;
  });
  const problem = shapeProblem(model, files.file, data, outputDim);
  if (problem !== undefined) {
    model.dispose();
    throw problem;
  }
  return model;
}
