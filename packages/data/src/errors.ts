import { OverparamError } from '@overparam/core';

/** Where in a file the problem is: a byte offset for binary formats, a line (1-based) for text. */
export type FileLocation = { readonly offset: number } | { readonly line: number; readonly column?: number } | { readonly whole: true };

function describeLocation(where: FileLocation): string {
  if ('offset' in where) return `byte ${where.offset}`;
  if ('line' in where) return `line ${where.line}${where.column === undefined ? '' : `, column ${where.column}`}`;
  return 'whole file';
}

/**
 * A data file is not what its format promises (bad magic number, truncated, a label out of range,
 * a non-numeric cell). Carries the file and the location so programs can report them; the message
 * says what was expected and what to do.
 */
export class DataCorruptError extends OverparamError {
  readonly file: string;
  readonly location: FileLocation;
  constructor(file: string, where: FileLocation, problem: string, options?: { cause?: unknown }) {
    super('DATA_CORRUPT', `${file} (${describeLocation(where)}): ${problem}; the file is corrupt or not in the expected format: fetch it again`, options);
    this.file = file;
    this.location = where;
  }
}

/** A data set whose files are not on this machine; the message says how to get them. */
export class DataUnavailableError extends OverparamError {
  readonly dataSet: string;
  constructor(dataSet: string, reason: string, howToGet: string, options?: { cause?: unknown }) {
    super('DATA_UNAVAILABLE', `data set '${dataSet}' is not available: ${reason}. ${howToGet}`, options);
    this.dataSet = dataSet;
  }
}
