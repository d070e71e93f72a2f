import type * as CsvParseSync from 'csv-parse/sync';
import { DataCorruptError } from './errors';
import { nodeBuiltins, readText } from './node-io';

/**
 * Numeric regression tables in CSV (RFC 4180), such as the UCI gas-sensor "Ethanol" task once its
 * records are written one per line (128 feature columns, then the concentration). The parsing
 * itself is csv-parse's: quoting, CRLF, a byte-order mark and ragged rows are its job; this file
 * checks that every cell is a finite number and reports the line and column when one is not.
 */
export interface CsvRegressionOptions {
  /** Column holding the target (0-based; negative counts from the end). Default −1, the last. */
  readonly targetColumn?: number;
  /** Whether the first line names the columns. `auto` (default): it does when none of its cells is a number. */
  readonly header?: boolean | 'auto';
}

export interface CsvRegressionTable {
  readonly file: string;
  readonly n: number;
  /** Feature columns per row. */
  readonly d: number;
  /** Row-major [n, d]. */
  readonly x: Float32Array;
  /** [n] targets. */
  readonly y: Float32Array;
  /** Column names from the header line, when there was one (features in order, then the target). */
  readonly columns?: readonly string[];
}

export function readCsvRegression(file: string, options: CsvRegressionOptions = {}): CsvRegressionTable {
  return parseCsvRegression(readText(file), file, options);
}

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

function isNumber(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(Number(cell));
}

/**
 * csv-parse, loaded on first use rather than imported: its Node build evaluates `Buffer.from` when
 * loaded, which would stop this package's main entry from loading in a browser at all.
 */
function csvParse(): typeof CsvParseSync {
  nodeBuiltins('parsing CSV');
  const { createRequire } = (globalThis as { process: NodeJS.Process }).process.getBuiltinModule('node:module');
  return createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParseSync;
}

export function parseCsvRegression(text: string, file: string, options: CsvRegressionOptions = {}): CsvRegressionTable {
  const { parse, CsvError } = csvParse();
  let rows: Row[];
  try {
    rows = parse(text, { info: true, bom: true, trim: true, skip_empty_lines: true, comment: '#' }) as unknown as Row[];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = typeof e.lines === 'number' ? e.lines : 0;
      throw new DataCorruptError(file, { line }, `not valid CSV: ${e.message}; expected the same number of comma-separated cells on every line`, { cause: e });
    }
    throw e;
  }
  const header = options.header ?? 'auto';
  const first = rows[0];
  const hasHeader = header === true || (header === 'auto' && first !== undefined && !first.record.some(isNumber));
  const columns = hasHeader ? first?.record : undefined;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new DataCorruptError(file, { line: 1 }, 'no data rows; expected one example per line, numeric cells, the target in one column');
  const width = data[0]!.record.length;
  if (width < 2) throw new DataCorruptError(file, { line: data[0]!.info.lines }, `found ${width} column; expected at least one feature column and a target column`);
  const target = options.targetColumn ?? -1;
  const t = target < 0 ? width + target : target;
  if (!Number.isInteger(t) || t < 0 || t >= width) {
    throw new DataCorruptError(file, { line: data[0]!.info.lines }, `target column ${target} does not exist in rows of ${width} columns`);
  }
  const n = data.length;
  const d = width - 1;
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const { record, info } = data[i]!;
    for (let j = 0; j < width; j++) {
      const cell = record[j]!;
      if (!isNumber(cell)) {
        throw new DataCorruptError(file, { line: info.lines, column: j + 1 }, `cell '${cell.slice(0, 40)}' is not a finite number; expected numeric cells only`);
      }
      const v = Number(cell);
      if (j === t) y[i] = v;
      else x[i * d + (j < t ? j : j - 1)] = v;
    }
  }
  return { file, n, d, x, y, ...(columns === undefined ? {} : { columns: [...columns.filter((_, j) => j !== t), columns[t]!] }) };
}
