import { OverparamError } from '@overparam/core';

/**
 * A Layers model (or its files) that cannot be imported. One line naming the layer or file and
 * what to do; `layer` / `file` carry the name for programs.
 */
export class ModelImportError extends OverparamError {
  readonly layer?: string;
  readonly file?: string;
  constructor(message: string, where: { layer?: string; file?: string } = {}, options?: { cause?: unknown }) {
    super('MODEL_IMPORT', message, options);
    if (where.layer !== undefined) this.layer = where.layer;
    if (where.file !== undefined) this.file = where.file;
  }
}

/** An imported model cannot be written as model.json and weight shards; `file` names what could not be written. */
export class ModelExportError extends OverparamError {
  readonly file?: string;
  constructor(message: string, where: { file?: string } = {}, options?: { cause?: unknown }) {
    super('MODEL_EXPORT', message, options);
    if (where.file !== undefined) this.file = where.file;
  }
}

/** Thrown by a layer rule for a layer or setting that has no core primitive; the model then takes the generic path. */
export class UnsupportedLayer extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}
