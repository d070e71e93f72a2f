import type { Divergence } from '@overparam/core';
import type { RecordsDigest } from './records-digest';

/** How a run ended and what it reached; this is summary.json. */
export interface RunSummary {
  /**
   * `aborted`: stopped by its signal (Ctrl-C, SIGTERM), resumable. `diverged`: the loss stopped
   * being finite or left its bound (`divergence` says which). `failed`: an error ended it (`error`
   * says which); resumable once the cause is fixed.
   */
  readonly outcome: 'completed' | 'diverged' | 'aborted' | 'failed';
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
  /** The loss as trained, its parameters included: `softmax-cross-entropy`, `lp(p=4)`. */
  readonly loss: string;
  readonly paramCount: number;
  readonly modelName: string;
  readonly backend: string;
  /** Wall-clock seconds of this attempt: training (from its start or resume) and the final evaluations. */
  readonly seconds: number;
  /** Training seconds over every attempt. */
  readonly trainSeconds: number;
  readonly divergedAtStep?: number;
  readonly divergence?: Divergence;
  /** Why a `failed` run failed: the error's code (when it has one) and message. */
  readonly error?: { readonly code: string | null; readonly message: string };
  /**
   * How many records metrics.jsonl held when the summary was written, and their checksum, so that
   * `report` and `--resume` notice records lost or changed since. Absent in summaries of older
   * versions and of sweep cells that never started.
   */
  readonly records?: RecordsDigest;
}

export type RunOutcome = RunSummary['outcome'];

/** JSON has no NaN or Infinity (JSON.stringify would silently write null); say so in the type. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

/**
 * The summary of a run an error ended: nothing measured (every number null), what it had done,
 * and the error. One shape for a run that failed while training and a sweep cell that never started.
 */
export function failedSummary(run: {
  steps: number;
  requestedSteps: number;
  epochs: number;
  loss: string;
  paramCount: number;
  modelName: string;
  backend: string;
  seconds: number;
  trainSeconds: number;
  error: { code: string | null; message: string };
  records?: RecordsDigest;
}): RunSummary {
  return { outcome: 'failed', finalTrainLoss: null, trainAccuracy: null, lastBatchLoss: null, testAccuracy: null, testLoss: null, ...run };
}
