/**
 * Runs that write a run directory. Node only (files), so it lives behind
 * `@overparam/experiments/node` and the main entry stays usable in a browser.
 */
import { ConfigError, OverparamError, type TrainProgress } from '@overparam/core';
import { JsonlFileSink, writeJsonAtomic } from '@overparam/core/node';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainAndEvaluate, type RunSummary } from './execute';
import { prepareRun, type PreparedRun } from './prepare';

export interface RunStart {
  readonly outDir: string;
  readonly backend: string;
  readonly backendSkipped: PreparedRun['backend']['skipped'];
  readonly modelName: string;
  readonly paramCount: number;
  readonly data: string;
}

export interface RunExperimentOptions {
  /** The run directory; created if missing. It must not already hold a run. */
  readonly outDir: string;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Called once everything is validated and config.json is written, just before training. */
  readonly onStart?: (start: RunStart) => void;
  /** Stops after the current step; the summary then says `aborted`. */
  readonly signal?: AbortSignal;
}

/** config.json: the resolved config as it ran, with the backend actually used and the model built. */
function configRecord(run: PreparedRun) {
  return {
    ...run.config,
    backend: run.backend.name,
    backendRequested: run.config.backend,
    backendSkipped: run.backend.skipped,
    model: { name: run.model.name, paramCount: run.model.paramCount, options: run.modelOptions },
  };
}

/**
 * Validates `config`, then trains and evaluates it into `outDir`: config.json first,
 * metrics.jsonl as training goes, summary.json (atomically) at the end. Nothing is written
 * unless the whole config is valid, the backend loads and the data set and model can be built.
 */
export async function runExperiment(config: unknown, options: RunExperimentOptions): Promise<RunSummary> {
  const run = await prepareRun(config);
  let sink: JsonlFileSink | undefined;
  try {
    await mkdir(options.outDir, { recursive: true }).catch((e: Error) => {
      throw new OverparamError('RUN_IO', `cannot create the run directory ${options.outDir}: ${e.message}`, { cause: e });
    });
    // Created empty and exclusively: appending to another run's metrics would silently mix two
    // runs' records, and a run of 0 steps still leaves the file.
    const metricsPath = join(options.outDir, 'metrics.jsonl');
    await writeFile(metricsPath, '', { flag: 'wx' }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') throw new ConfigError('outDir', `${options.outDir} already holds a run (metrics.jsonl); choose another directory or remove it`);
      throw new OverparamError('RUN_IO', `cannot create ${metricsPath}: ${e.message}`, { cause: e });
    });
    await writeJsonAtomic(join(options.outDir, 'config.json'), configRecord(run));
    sink = new JsonlFileSink(metricsPath);
    options.onStart?.({
      outDir: options.outDir,
      backend: run.backend.name,
      backendSkipped: run.backend.skipped,
      modelName: run.model.name,
      paramCount: run.model.paramCount,
      data: run.data.name,
    });
    const summary = await trainAndEvaluate(run, { sinks: [sink], onProgress: options.onProgress, signal: options.signal });
    await writeJsonAtomic(join(options.outDir, 'summary.json'), summary);
    return summary;
  } finally {
    await sink?.close();
    run.model.dispose();
  }
}

export type { RunSummary } from './execute';
