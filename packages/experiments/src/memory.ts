import { MemorySink, type RunRecord, type TrainProgress } from '@overparam/core';
import type { RunConfig } from './config';
import { trainAndEvaluate, type RunSummary } from './execute';
import { prepareRun } from './prepare';

export interface InMemoryRun {
  readonly config: RunConfig;
  readonly summary: RunSummary;
  /** What a run directory's metrics.jsonl would hold. */
  readonly records: readonly RunRecord[];
}

/** A run without a run directory (browsers, notebooks, tests): same validation, same numbers. */
export async function runInMemory(input: unknown, options: { onProgress?: (p: TrainProgress) => void; signal?: AbortSignal } = {}): Promise<InMemoryRun> {
  const run = await prepareRun(input);
  try {
    const sink = new MemorySink();
    const summary = await trainAndEvaluate(run, { ...options, sinks: [sink] });
    return { config: run.config, summary, records: sink.records };
  } finally {
    run.model.dispose();
  }
}
