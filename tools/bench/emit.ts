/**
 * Output channels of the benchmark: measurements go to stdout as one JSON object per line, so
 * `npm run bench > results.jsonl` captures only results; everything for humans goes to stderr.
 */
const common = { node: process.version, date: new Date().toISOString() };

/** Fields every measurement line carries, in this order. */
export interface MeasurementLine {
  readonly suite: string;
  readonly name: string;
  readonly backend: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly reps: number;
  readonly [parameter: string]: unknown;
}

function write(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, ...common })}\n`);
}

export function emitMeasurement(line: MeasurementLine): void {
  write(line);
}

/** A suite that could not run on a backend at all (the backend did not load). */
export function emitSkipped(suite: string, backend: string, reason: string): void {
  write({ suite, backend, skipped: reason });
}

/** A measurement that threw; the run goes on with the next one. */
export function emitError(suite: string, name: string, backend: string, error: unknown, parameters: Record<string, unknown> = {}): void {
  write({ suite, name, backend, error: error instanceof Error ? error.message : String(error), ...parameters });
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
