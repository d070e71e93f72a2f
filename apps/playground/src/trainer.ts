import { memoryStore, run, type RunConfigInput, type RunStart, type RunSummary } from '@overparam/experiments';

/** What the page hears about each run while a batch of runs trains. */
export interface TrainingListener {
  onStart(index: number, start: RunStart): void;
  onProgress(index: number, step: number, steps: number, loss: number): void;
  onEnd(index: number, summary: RunSummary): void;
  onError(index: number, error: unknown): void;
}

/** The id a run gets in the store and in an export: its position on the page. */
export const runId = (index: number) => `run-${index + 1}`;

/**
 * Trains the runs one after another into a fresh memory store, through experiments' `run()`: the
 * same validation, records and summary as a Node run. The training loop yields to the page after
 * every step, so the page stays responsive. A run that diverges or fails is reported and the next
 * one trains; `signal` stops the current run (recorded as aborted) and the rest.
 */
export function trainRuns(configs: readonly RunConfigInput[], listener: TrainingListener, signal: AbortSignal) {
  const store = memoryStore();
  const done = (async () => {
    for (const [index, config] of configs.entries()) {
      if (signal.aborted) break;
      try {
        const result = await run(config, {
          store,
          id: runId(index),
          signal,
          onStart: (start) => listener.onStart(index, start),
          onProgress: (p) => listener.onProgress(index, p.step, p.steps, p.loss),
        });
        listener.onEnd(index, result.summary);
      } catch (e) {
        listener.onError(index, e);
      }
    }
  })();
  return { store, done };
}
