import type { RunRecord } from '@overparam/core';
import { FNV1A_START, fnv1a, hex32 } from './checkpoint-format';

/**
 * What summary.json says of metrics.jsonl: how many records the run wrote and a checksum (32-bit
 * FNV-1a) of their lines. The writer keeps it as it appends; readers recompute it from the file,
 * so records lost or changed after the summary (a second writer, a hand edit) are noticed.
 */
export interface RecordsDigest {
  readonly count: number;
  readonly checksum: string;
}

/** One record as a line of metrics.jsonl: the one serialization every store hashes. */
export const recordLine = (record: RunRecord): string => `${JSON.stringify(record)}\n`;

const encoder = new TextEncoder();

/** Counts and hashes lines as they are appended, continuing from what a file already holds. */
export class RecordsTally {
  private state = FNV1A_START;
  private count = 0;

  constructor(existing = '') {
    if (existing !== '') this.add(existing, existing.split('\n').length - 1);
  }

  /** `lines` complete lines, as one text. */
  add(text: string, lines = 1): void {
    this.state = fnv1a(encoder.encode(text), this.state);
    this.count += lines;
  }

  digest(): RecordsDigest {
    return { count: this.count, checksum: hex32(this.state) };
  }
}

/** The complete lines of a metrics.jsonl text (a torn last line is no record, as its reader says). */
export function completeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** The digest of a metrics.jsonl text, over its complete lines. */
export function digestOfText(text: string): RecordsDigest {
  return new RecordsTally(completeLines(text)).digest();
}

/**
 * Why `actual` records do not match the digest a summary recorded, in one clause naming the
 * file; undefined when they match or the summary predates digests.
 */
export function recordsMismatch(recordsPath: string, recorded: RecordsDigest | undefined, actual: RecordsDigest): string | undefined {
  if (recorded === undefined || (recorded.count === actual.count && recorded.checksum === actual.checksum)) return undefined;
  const what = recorded.count === actual.count ? `the same number of records (${actual.count}) with other contents` : `${actual.count} records`;
  return `${recordsPath} holds ${what}, but the run's summary.json says it wrote ${recorded.count} (checksum ${recorded.checksum}, now ${actual.checksum}): the records were lost or changed after the run ended`;
}
