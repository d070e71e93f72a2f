import type { BatchTransform, Dataset } from '../data/dataset';
import type { Sampling } from '../data/sampler';
import type { Model } from '../layers/model';
import type { Loss, LossName } from '../losses';
import type { OptimizerSpec } from '../optim/optimizer';
import type { LrSchedule } from '../optim/schedule';
import type { NamedArray } from '../named-array';
import type { Rng } from '../rng';
import type { CheckpointPolicy, TrainCheckpoint } from './checkpoint';
import type { Divergence } from './divergence';

export interface TrainConfig {
  /** Optimizer steps to take. */
  readonly steps: number;
  /** Examples per minibatch (the papers use 128). */
  readonly batchSize: number;
  /** Default `shuffled-epochs`, as in the experiments; `with-replacement` matches the theory. */
  readonly sampling?: Sampling;
  readonly loss: LossName | Loss;
  /** Default plain SGD (no momentum, no weight decay). */
  readonly optimizer?: OptimizerSpec;
  readonly schedule: LrSchedule;
  /** Seeds the minibatch stream and every hook's randomness. */
  readonly seed: number;
  /** Write a `train` record every this many steps (the mean minibatch loss since the last one). Default 10. */
  readonly logEvery?: number;
  /** Applied to every training batch's inputs (data augmentation), with its own stream of the run's RNG. */
  readonly augment?: BatchTransform;
  /**
   * A minibatch loss above this many times the first one ends the run as diverged; null: no
   * bound (a non-finite loss still ends it). Default `DEFAULT_DIVERGENCE_FACTOR` (1e3).
   */
  readonly divergenceFactor?: number | null;
  /**
   * Read minibatch losses back from the backend at least every this many steps, and whenever a
   * record, hook or checkpoint needs them (default `DEFAULT_READ_LOSS_EVERY`; 1: every step).
   * Records, results and checkpoints do not depend on it; a diverged run's model does (it holds
   * up to this many − 1 steps past the diverging one).
   */
  readonly readLossEvery?: number;
}

/** One line of metrics.jsonl. `kind` is `train`, `diverged`, or the name of the hook that wrote it. */
export interface RunRecord {
  readonly kind: string;
  readonly step: number;
  readonly epoch: number;
  readonly [field: string]: unknown;
}

export interface RecordSink {
  write(record: RunRecord): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** When a hook runs. Steps are counted after the update (`every: 100` runs after steps 100, 200, …). */
export interface HookSchedule {
  readonly everySteps?: number;
  readonly everyEpochs?: number;
  /** Before the first step (at initialization). */
  readonly atStart?: boolean;
  /** After the last step, whether the run completed or diverged. */
  readonly atEnd?: boolean;
}

export interface HookContext {
  readonly model: Model;
  readonly data: Dataset;
  readonly loss: Loss;
  /** Steps taken so far. */
  readonly step: number;
  readonly epoch: number;
  readonly learningRate: number;
  /** Randomness for this call only, fixed by the run seed, the hook name and the step. */
  readonly rng: Rng;
}

/**
 * Something that runs on a schedule during training and returns numbers for the run's records.
 * Metrics are hooks; so are checkpoints and evaluations.
 */
export interface Hook {
  readonly name: string;
  readonly schedule: HookSchedule;
  run(ctx: HookContext): Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  /** What the hook remembers between calls (a snapshot of W(0), say), for checkpoints. */
  saveState?(model: Model): Promise<NamedArray[]>;
  /** Restores what `saveState` returned, before a resumed run's first step. */
  loadState?(model: Model, state: readonly NamedArray[]): void;
}

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** 0-based index of the epoch the step belongs to, as in the records. */
  readonly epoch: number;
  /** Epochs completed, fractional (steps / steps per epoch), as in the summary. */
  readonly epochs: number;
  /** Mean minibatch loss over the last logging window. */
  readonly loss: number;
  readonly learningRate: number;
}

export interface TrainResult {
  /** `aborted`: stopped by the signal before the last step (a checkpoint, if asked for, was taken). */
  readonly outcome: 'completed' | 'diverged' | 'aborted';
  /** Steps completed (the diverging step is not counted). */
  readonly steps: number;
  readonly epochs: number;
  /** Mean minibatch loss over the last logging window before the end. */
  readonly lastBatchLoss: number;
  /** The step whose loss diverged, when diverged. */
  readonly divergedAtStep?: number;
  readonly divergence?: Divergence;
  readonly seconds: number;
}

export interface TrainCallbacks {
  readonly hooks?: readonly Hook[];
  readonly sinks?: readonly RecordSink[];
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Stops after the current step; the run ends `aborted` with the steps taken so far. */
  readonly signal?: AbortSignal;
  /** Checkpoints on this schedule, at the end of the loop and when stopped. */
  readonly checkpoint?: CheckpointPolicy;
  /** Continues from a checkpoint of a run with the same model, data and config. */
  readonly resume?: TrainCheckpoint;
}
