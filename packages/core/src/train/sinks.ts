import type { RecordSink, RunRecord } from './types';

/** Keeps every record in memory; handy in tests and notebooks. */
export class MemorySink implements RecordSink {
  readonly records: RunRecord[] = [];
  write(record: RunRecord): void {
    this.records.push(record);
  }
  /** Records written by one kind (`train` or a hook name). */
  ofKind(kind: string): RunRecord[] {
    return this.records.filter((r) => r.kind === kind);
  }
}
