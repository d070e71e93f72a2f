import { activeBackendTraits, OverparamError, train, evaluate, isOverparamError, lossLabel, type TrainCheckpoint, type TrainProgress } from '@overparam/core';
import { parseRunConfig, stepBatchSize, type RunConfig } from '../config/config';
import { prepareRun, type PreparedRun } from './prepare';
import type { ImportedModelRecord } from './imported-model';
import { checkCheckpointConfig, checkEndedRecords, differingKeys } from './run-integrity';
import type { RunInfo, RunLock, RunStatus, RunStore } from '../store/types';
import { failedSummary, finiteOrNull, type RunSummary } from '../store/summary';

/** What `run` tells its caller once everything is checked and the run is about to train. */
export interface RunStart {
  readonly id: string;
  readonly where: string;
  readonly backend: string;
  readonly backendSkipped: RunInfo['backendSkipped'];
  readonly modelName: string;
  readonly paramCount: number;
  readonly data: string;
  /** The step it starts from: 0, or where a resumed run's checkpoint was taken. */
  readonly fromStep: number;
  /** A model read from a file: the path its import took (`notice` is the line to print once). */
  readonly imported?: ImportedModelRecord;
}

/**
 * What to do with a run that already exists: `never` refuses it (RUN_EXISTS), `if-unfinished`
 * continues a killed, stopped or failed run and returns a finished one's summary as it is,
 * `require` is `if-unfinished` that also refuses to start a run that does not exist.
 */
export type ResumeMode = 'never' | 'if-unfinished' | 'require';

export interface RunOptions {
  readonly store: RunStore;
  readonly id: string;
  readonly resume?: ResumeMode;
  /** Stops after the current step, checkpoints, and ends the run `aborted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly onStart?: (start: RunStart) => void;
  /** Takes the steps: core's `train` unless given (a replica group passes its own, see replica-group.ts). */
  readonly trainer?: Trainer;
  /**
   * Given the trained model when the run completes here (not when it diverged, was stopped or had
   * already ended), before it is disposed and after its summary is written: `train --export-model`
   * writes the weights out through it. A failure here is thrown but leaves the summary as it is.
   */
  readonly onCompleted?: (model: PreparedRun['model'], prepared: PreparedRun) => Promise<void>;
  /** How many runs share this one's steps (a replica group's size): the backend may pick its settings by it (oneDNN on node). Default 1. */
  readonly replicas?: number;
  /** Refuse (BACKEND_SETTINGS) a backend this process loaded with other settings than this run's workload (a sweep worker: see `SelectBackendOptions.sameSettings`). */
  readonly sameSettings?: boolean;
}

/** What takes a run's steps, with `train`'s signature. */
export type Trainer = typeof train;

export interface RunResult {
  readonly id: string;
  readonly config: RunConfig;
  readonly summary: RunSummary;
  /** True when the run had already ended and nothing was done. */
  readonly alreadyEnded: boolean;
}

const ENDED: readonly RunStatus[] = ['completed', 'diverged'];

/**
 * A run: validated config → store. Checks everything (config, backend, data, model) before a
 * byte is written; trains with checkpoints on the config's schedule; evaluates; writes the
 * summary. Resumes a run that was killed or stopped from its last checkpoint, so that its records
 * and summary equal those of a run never interrupted (on the same backend, timings aside).
 *
 * A diverged run is a result (`diverged`, with the reason); an error is recorded as `failed`
 * in the summary, when the store still takes writes, and then thrown.
 *
 * One writer per run: the run is locked (`store.lock`) from before its first write to its end,
 * so a second `run` of the same id, here or in another process, is refused with RUN_LOCKED. A
 * resume is refused when config.json was edited since the checkpoint (RUN_MISMATCH), and an
 * ended run whose records are not the ones its summary counted is RUN_CORRUPT.
 */
export async function run(input: unknown, options: RunOptions): Promise<RunResult> {
  const { store, id } = options;
  const mode = options.resume ?? 'never';
  const config = parseRunConfig(input);
  const before = await store.status(id);
  if (before !== 'absent' && mode === 'never') {
    throw new OverparamError('RUN_EXISTS', `${store.where(id)} already holds a run (${before}); continue it with --resume, or choose another directory`);
  }
  if (before === 'absent' && mode === 'require') throw new OverparamError('RUN_ABSENT', `${store.where(id)} holds no run to resume`);
  // A run that exists is locked before it is read, so one being written elsewhere is refused at once;
  // a new one once everything is checked, just before its directory is created.
  let lock: RunLock | undefined = before !== 'absent' ? await store.lock(id) : undefined;
  try {
    const status = lock === undefined ? before : await store.status(id);
    const resuming = status !== 'absent';
    if (resuming) {
      const stored = await store.readConfig(id);
      const differing = stored === undefined ? ['config'] : differingKeys(stored, config);
      if (differing.length > 0) {
        throw new OverparamError('RUN_MISMATCH', `${store.where(id)} holds a run with another config (${differing.join(', ')} differ); resume it with its own config, or choose another directory`);
      }
      await checkCheckpointConfig(store, id, config);
      if (ENDED.includes(status)) {
        await checkEndedRecords(store, id);
        const summary = await store.readSummary(id);
        if (summary !== undefined) return { id, config, summary, alreadyEnded: true };
      }
    }

    const prepared = await prepareRun(config, { replicas: options.replicas ?? 1, sameSettings: options.sameSettings });
    try {
      lock ??= await store.lock(id);
      const result = await trainPrepared(prepared, options, resuming);
      if (result.summary.outcome === 'completed') await options.onCompleted?.(prepared.model, prepared);
      return result;
    } finally {
      prepared.model.dispose();
    }
  } finally {
    await lock?.release();
  }
}

async function trainPrepared(prepared: PreparedRun, options: RunOptions, resuming: boolean): Promise<RunResult> {
  const { store, id } = options;
  const { config, model, data, loss, backend } = prepared;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  // A group on a backend that steps its members one after another trains each alone (`trainReplicas`): no group to record.
  const replicas = activeBackendTraits().replicaSteps === 'batched' ? options.replicas : 1;

  let checkpoint: TrainCheckpoint | undefined;
  if (resuming) {
    checkpoint = await store.loadCheckpoint(id);
    // The summary goes first: a reader must never see an old summary beside records already cut back.
    await store.clearSummary(id);
    // Records after the checkpoint (or all of them, with none) are written again as the run redoes those steps.
    await store.truncateRecords(id, checkpoint?.records ?? 0);
    const info = await store.readInfo(id);
    await store.updateInfo(id, { ...runInfo(prepared, info?.attempts ?? []), attempts: [...(info?.attempts ?? []), attempt(startedAt, checkpoint?.step ?? 0, replicas)] });
  } else {
    await store.create(id, config, { ...runInfo(prepared, []), attempts: [attempt(startedAt, 0, replicas)] });
  }
  options.onStart?.({
    id,
    where: store.where(id),
    backend: backend.name,
    backendSkipped: backend.skipped,
    modelName: model.name,
    paramCount: model.paramCount,
    data: data.name,
    fromStep: checkpoint?.step ?? 0,
    ...(prepared.imported === undefined ? {} : { imported: prepared.imported }),
  });

  const records = await store.records(id);
  let trainSeconds = checkpoint?.seconds ?? 0;
  let steps = checkpoint?.step ?? 0;
  try {
    const result = await (options.trainer ?? train)(model, data, prepared.trainConfig, {
      hooks: prepared.hooks,
      sinks: [records],
      onProgress: (p) => {
        steps = p.step;
        options.onProgress?.(p);
      },
      signal: options.signal,
      resume: checkpoint,
      checkpoint: {
        everySteps: config.checkpointEverySteps,
        everySeconds: config.checkpointEverySeconds,
        // The records a checkpoint counts must be on disk before the checkpoint is.
        save: async (c) => {
          await records.sync();
          await store.saveCheckpoint(id, c, model.name, config);
        },
      },
    });
    trainSeconds = result.seconds;
    steps = result.steps;

    // A run that did not reach its end is not evaluated: its parameters are poisoned, or its caller is leaving.
    const finished = result.outcome === 'completed';
    const trainEval = finished ? await evaluate(model, data, data.train, loss) : undefined;
    const testEval = finished && data.test !== undefined ? await evaluate(model, data, data.test, loss) : undefined;
    const summary: RunSummary = {
      outcome: result.outcome,
      steps: result.steps,
      requestedSteps: config.steps,
      epochs: result.epochs,
      finalTrainLoss: finiteOrNull(trainEval?.loss),
      trainAccuracy: finiteOrNull(trainEval?.accuracy),
      lastBatchLoss: finiteOrNull(result.lastBatchLoss),
      testAccuracy: finiteOrNull(testEval?.accuracy),
      testLoss: finiteOrNull(testEval?.loss),
      loss: lossLabel(loss),
      paramCount: model.paramCount,
      modelName: model.name,
      backend: backend.name,
      seconds: (Date.now() - started) / 1000,
      trainSeconds: result.seconds,
      ...(result.divergence === undefined ? {} : { divergedAtStep: result.divergence.step, divergence: result.divergence }),
      records: records.digest(),
    };
    await records.sync();
    await store.writeSummary(id, summary);
    return { id, config, summary, alreadyEnded: false };
  } catch (e) {
    const failed = failedSummary({
      steps,
      requestedSteps: config.steps,
      epochs: steps / Math.max(1, Math.floor(data.train.n / stepBatchSize(config, data.train.n))),
      loss: lossLabel(loss),
      paramCount: model.paramCount,
      modelName: model.name,
      backend: backend.name,
      seconds: (Date.now() - started) / 1000,
      trainSeconds,
      error: { code: isOverparamError(e) ? e.code : null, message: e instanceof Error ? e.message : String(e) },
      records: records.digest(),
    });
    // The store may be what failed (a full disk); the error itself matters more than its record.
    await store.writeSummary(id, failed).catch(() => {});
    throw e;
  } finally {
    await records.close().catch(() => {});
  }
}

/** run.json's entry for this start; a replica group's size is kept so a reader knows why the last digits may differ from a solo run's. */
function attempt(startedAt: string, fromStep: number, replicas = 1): RunInfo['attempts'][number] {
  return { startedAt, fromStep, ...(replicas > 1 ? { replicas } : {}) };
}

function runInfo(prepared: PreparedRun, attempts: RunInfo['attempts']): RunInfo {
  return {
    backend: prepared.backend.name,
    backendSkipped: prepared.backend.skipped,
    backendSettings: prepared.backend.settings,
    model: { name: prepared.model.name, paramCount: prepared.model.paramCount, options: prepared.modelOptions, ...(prepared.imported === undefined ? {} : { imported: prepared.imported }) },
    attempts,
  };
}
