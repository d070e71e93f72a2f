import { evaluate, train, type Evaluation, type RecordSink, type TrainProgress } from '@overparam/core';
import type { PreparedRun } from './prepare';

/** How a run ended and what it reached; this is summary.json. */
export interface RunSummary {
  /** `aborted`: stopped early by its signal, so not a finished run. */
  readonly outcome: 'completed' | 'diverged' | 'aborted';
  /** Steps completed (a diverging step is not counted). */
  readonly steps: number;
  readonly requestedSteps: number;
  readonly epochs: number;
  /** Mean loss over the whole training split after the last step; null when not measured or not finite. */
  readonly finalTrainLoss: number | null;
  readonly trainAccuracy: number | null;
  /** Mean minibatch loss over the last logging window. */
  readonly lastBatchLoss: number | null;
  readonly testAccuracy: number | null;
  readonly testLoss: number | null;
  readonly paramCount: number;
  readonly modelName: string;
  readonly backend: string;
  /** Wall-clock seconds for training and the final evaluations. */
  readonly seconds: number;
  readonly trainSeconds: number;
  readonly divergedAtStep?: number;
}

export interface ExecuteOptions {
  readonly sinks?: readonly RecordSink[];
  readonly onProgress?: (progress: TrainProgress) => void;
  readonly signal?: AbortSignal;
}

/** JSON has no NaN or Infinity (JSON.stringify would silently write null); say so in the type. */
function finite(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * Trains a prepared run, then measures it on the full training split and the test split. A
 * diverged or aborted run is not evaluated: its parameters are poisoned or its caller is leaving.
 * Does not dispose the model; whoever prepared the run does.
 */
export async function trainAndEvaluate(run: PreparedRun, options: ExecuteOptions = {}): Promise<RunSummary> {
  const started = Date.now();
  const { model, data, loss } = run;
  const result = await train(model, data, run.trainConfig, { hooks: run.hooks, sinks: options.sinks, onProgress: options.onProgress, signal: options.signal });
  const aborted = result.outcome === 'completed' && result.steps < run.trainConfig.steps;

  let trainEval: Evaluation | undefined;
  let testEval: Evaluation | undefined;
  if (result.outcome === 'completed' && !aborted) {
    trainEval = await evaluate(model, data, data.train, loss);
    if (data.test !== undefined) testEval = await evaluate(model, data, data.test, loss);
  }

  return {
    outcome: aborted ? 'aborted' : result.outcome,
    steps: result.steps,
    requestedSteps: run.trainConfig.steps,
    epochs: result.epochs,
    finalTrainLoss: finite(trainEval?.loss),
    trainAccuracy: finite(trainEval?.accuracy),
    lastBatchLoss: finite(result.lastBatchLoss),
    testAccuracy: finite(testEval?.accuracy),
    testLoss: finite(testEval?.loss),
    paramCount: model.paramCount,
    modelName: model.name,
    backend: run.backend.name,
    seconds: (Date.now() - started) / 1000,
    trainSeconds: result.seconds,
    ...(result.divergedAtStep === undefined ? {} : { divergedAtStep: result.divergedAtStep }),
  };
}
