import type { Dataset } from '../data/dataset';
import { BatchSampler, type BatchDraw } from '../data/sampler';
import { ConfigError } from '../errors';
import { flattenTree } from '../layers/context';
import type { Model } from '../layers/model';
import { resolveLoss, type Loss } from '../losses';
import { toNamedArray, type NamedArray } from '../named-array';
import { learningRateAt, validateSchedule } from '../optim/schedule';
import { createRng, restoreRng, type Rng } from '../rng';
import { restoreModel, type TrainCheckpoint } from './checkpoint';
import { divergenceOf, DEFAULT_DIVERGENCE_FACTOR, END_HOOKS_SKIPPED, type Divergence } from './divergence';
import type { Hook, RunRecord, TrainCallbacks, TrainConfig, TrainResult } from './types';

/**
 * How many steps a run may take before it reads their minibatch losses back from the backend,
 * unless a record, hook or checkpoint needs them sooner (`TrainConfig.readLossEvery`). A read is a
 * sync point (on WebGL/WebGPU it waits for the whole pipeline); the price is that a diverging run
 * takes up to this many − 1 further steps before the loop sees it (see `RunState.settle`).
 */
export const DEFAULT_READ_LOSS_EVERY = 10;

export function validate(config: TrainConfig, data: Dataset): void {
  if (!Number.isInteger(config.steps) || config.steps < 0) throw new ConfigError('steps', `must be a non-negative integer, got ${config.steps}`);
  if (!Number.isInteger(config.seed)) throw new ConfigError('seed', `must be an integer, got ${config.seed}`);
  const logEvery = config.logEvery ?? 10;
  if (!Number.isInteger(logEvery) || logEvery < 1) throw new ConfigError('logEvery', `must be a positive integer, got ${logEvery}`);
  const readEvery = config.readLossEvery ?? DEFAULT_READ_LOSS_EVERY;
  if (!Number.isInteger(readEvery) || readEvery < 1) throw new ConfigError('readLossEvery', `must be a positive integer (1 reads every step's loss), got ${readEvery}`);
  const factor = config.divergenceFactor;
  if (factor !== undefined && factor !== null && !(factor > 1)) throw new ConfigError('divergenceFactor', `must be a number > 1 (or null for no bound), got ${factor}`);
  validateSchedule(config.schedule);
  const loss = resolveLoss(config.loss);
  if (loss.targets === 'class' && data.task !== 'classification') {
    throw new ConfigError('loss', `${loss.name} needs class labels, but data set '${data.name}' is a regression task; use 'square'`);
  }
}

export function isDue(hook: Hook, stepsDone: number, epochEnded: boolean, epochsDone: number): boolean {
  const s = hook.schedule;
  if (s.everySteps !== undefined && stepsDone % s.everySteps === 0) return true;
  return epochEnded && s.everyEpochs !== undefined && epochsDone % s.everyEpochs === 0;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * What a diverged run writes instead of running its end-of-run hooks: undefined when it has none.
 * Its parameters are not finite or racing off, so measuring them would cost minutes and mean nothing.
 */
export function endHooksSkipped(hooks: readonly Hook[], divergence: Divergence, step: number, epoch: number): RunRecord | undefined {
  const skipped = hooks.filter((hook) => hook.schedule.atEnd === true).map((hook) => hook.name);
  if (skipped.length === 0) return undefined;
  return { kind: END_HOOKS_SKIPPED, step, epoch, hooks: skipped, reason: `the run diverged at step ${divergence.step} (${divergence.reason})` };
}

/** What `train(model, data, config, callbacks)` receives: one run, alone or as a member of a replica group. */
export interface RunSpec {
  /** Initialized exactly as its solo run's model (its own seed). */
  readonly model: Model;
  readonly data: Dataset;
  readonly config: TrainConfig;
  readonly callbacks?: TrainCallbacks;
}

/** A step taken on the backend whose loss the run has not read yet. */
interface Unread {
  readonly epoch: number;
  readonly learningRate: number;
}

/**
 * One run's loop state and bookkeeping (sampling, learning rate, the logging window, divergence,
 * records, hooks, checkpoints, the result), the same for a solo `train()` and for each member of
 * a replica group; the tensor work is the loop's (`run-loop.ts`).
 *
 * Losses are read lazily: `stepsTaken` counts steps the backend has taken, `stepsDone` those
 * whose loss has been read and found in bounds. Between the two the run holds `unread` steps.
 */
export class RunState {
  readonly loss: Loss;
  readonly rng: Rng;
  readonly sampler: BatchSampler;
  augmentRng: Rng;
  dropoutRng: Rng;
  readonly layerRng = { seed: () => this.dropoutRng.int(2 ** 31 - 1) };
  readonly augment?: (x: Float32Array, shape: readonly number[]) => void;
  readonly hooks: readonly Hook[];
  readonly logEvery: number;
  readonly readLossEvery: number;
  readonly divergenceFactor: number | null;
  readonly started = Date.now();
  records = 0;
  stepsDone = 0;
  epoch = 0;
  learningRate: number;
  windowSum = 0;
  windowCount = 0;
  lastBatchLoss = Number.NaN;
  initialLoss: number | null = null;
  divergence: Divergence | undefined;
  aborted = false;
  secondsBefore = 0;
  lastCheckpointAt = Date.now();
  loopDone = false;
  /** Slots its checkpoint held for the optimizer (undefined: not resumed), handed to the optimizer once. */
  savedSlots: NamedArray[] | undefined;
  private readonly unread: Unread[] = [];

  constructor(readonly run: RunSpec) {
    const { config, data } = run;
    validate(config, data);
    this.loss = resolveLoss(config.loss);
    this.hooks = run.callbacks?.hooks ?? [];
    this.logEvery = config.logEvery ?? 10;
    this.readLossEvery = config.readLossEvery ?? DEFAULT_READ_LOSS_EVERY;
    this.divergenceFactor = config.divergenceFactor === undefined ? DEFAULT_DIVERGENCE_FACTOR : config.divergenceFactor;
    this.rng = createRng(config.seed);
    this.sampler = new BatchSampler(data.train.n, config.batchSize, config.sampling ?? 'shuffled-epochs', this.rng.fork('batches'));
    // Its own stream, so that switching augmentation on leaves the minibatch order as it was.
    this.augmentRng = this.rng.fork('augment');
    // Dropout masks get their own stream too; layers without randomness never draw from it.
    this.dropoutRng = this.rng.fork('dropout');
    this.augment = config.augment === undefined ? undefined : (x, shape) => config.augment!(x, shape, this.augmentRng);
    this.learningRate = learningRateAt(config.schedule, { step: 0, epoch: 0 });
  }

  get steps(): number {
    return this.run.config.steps;
  }

  /** Steps the backend has taken, read or not. */
  get stepsTaken(): number {
    return this.stepsDone + this.unread.length;
  }

  get finished(): boolean {
    return this.loopDone || this.divergence !== undefined || this.stepsDone >= this.steps;
  }

  seconds(): number {
    return this.secondsBefore + (Date.now() - this.started) / 1000;
  }

  async emit(record: RunRecord): Promise<void> {
    for (const sink of this.run.callbacks?.sinks ?? []) await sink.write(record);
    this.records++;
  }

  async runHook(hook: Hook, step: number, epoch: number): Promise<void> {
    const { model, data } = this.run;
    const values = await hook.run({ model, data, loss: this.loss, step, epoch, learningRate: this.learningRate, rng: this.rng.fork(`hook:${hook.name}`).fork(step) });
    if (values !== undefined) await this.emit({ kind: hook.name, step, epoch, ...values });
  }

  /** 1. The next minibatch and this step's learning rate; the step it belongs to joins the unread ones. */
  draw(): BatchDraw {
    const draw = this.sampler.next();
    this.epoch = draw.epoch;
    this.learningRate = learningRateAt(this.run.config.schedule, { step: this.stepsTaken, epoch: this.epoch });
    this.unread.push({ epoch: this.epoch, learningRate: this.learningRate });
    return draw;
  }

  /**
   * Whether something after the step just taken needs its loss: a `train` record, a hook, a
   * checkpoint or the last step; or its count is a multiple of `readLossEvery` (counted from
   * step 0, not from the last read, so that where reads fall depends on the step alone). Otherwise
   * the next step goes on without a read, and the result is that of reading every step (`settle`).
   */
  needsRead(draw: BatchDraw): boolean {
    const taken = this.stepsTaken;
    if (taken % this.readLossEvery === 0 || taken >= this.steps || taken % this.logEvery === 0) return true;
    const epochsDone = draw.endsEpoch ? this.epoch + 1 : this.epoch;
    if (this.hooks.some((hook) => isDue(hook, taken, draw.endsEpoch, epochsDone))) return true;
    return this.checkpointDue(taken);
  }

  /** 6. A checkpoint on schedule after `step` (the last step's comes at the end, with loopDone set). */
  checkpointDue(step: number): boolean {
    const policy = this.run.callbacks?.checkpoint;
    if (policy === undefined || step >= this.steps) return false;
    const bySteps = policy.everySteps !== undefined && step % policy.everySteps === 0;
    const bySeconds = policy.everySeconds !== undefined && Date.now() - this.lastCheckpointAt >= policy.everySeconds * 1000;
    return bySteps || bySeconds;
  }

  /**
   * 3. Takes the unread steps' losses, `losses[at(i)]` for the i-th, in order: each is checked
   * against the divergence bound exactly as if read at its step, and joins the logging window.
   * The first that is not finite or out of bounds ends the run: it is recorded at its own step,
   * epoch and learning rate and not counted, and later unread steps are dropped as if never
   * taken. They were taken, though, so a diverged run's model holds parameters up to
   * `readLossEvery` − 1 steps past that step; nothing reads a diverged model (no checkpoint, no
   * end-of-run hooks, no evaluation). Nothing needs a loss between reads, so records, results
   * and checkpoints equal those of a run that reads every step. Returns whether the run diverged.
   */
  async settle(losses: ArrayLike<number>, at: (i: number) => number): Promise<boolean> {
    const unread = this.unread.splice(0);
    for (const [i, step] of unread.entries()) {
      const batchLoss = losses[at(i)]!;
      this.initialLoss ??= batchLoss;
      this.divergence = divergenceOf(batchLoss, this.initialLoss, this.divergenceFactor, this.stepsDone);
      if (this.divergence !== undefined) {
        this.epoch = step.epoch;
        this.learningRate = step.learningRate;
        await this.emit({ kind: 'diverged', step: this.stepsDone, epoch: this.epoch, loss: this.divergence.loss, reason: this.divergence.reason, lr: this.learningRate });
        return true;
      }
      this.stepsDone++;
      this.windowSum += batchLoss;
      this.windowCount++;
    }
    return false;
  }

  /** 4. The mean minibatch loss every `logEvery` steps, and progress; 5. the hooks due (each after `beforeRead`). */
  async record(draw: BatchDraw, beforeRead: () => void): Promise<void> {
    const step = this.stepsDone;
    if (step % this.logEvery === 0 || step === this.steps) {
      this.lastBatchLoss = this.windowSum / this.windowCount;
      await this.emit({ kind: 'train', step, epoch: this.epoch, loss: this.lastBatchLoss, lr: this.learningRate, seconds: this.seconds() });
      this.run.callbacks?.onProgress?.({ step, steps: this.steps, epoch: this.epoch, epochs: step / this.sampler.stepsPerEpoch, loss: this.lastBatchLoss, learningRate: this.learningRate });
      this.windowSum = 0;
      this.windowCount = 0;
    }
    const epochsDone = draw.endsEpoch ? this.epoch + 1 : this.epoch;
    for (const hook of this.hooks) {
      if (isDue(hook, step, draw.endsEpoch, epochsDone)) {
        beforeRead();
        await this.runHook(hook, step, epochsDone);
      }
    }
  }

  /** Saves a checkpoint if the run has a policy; `slots` are its optimizer's, as `saveSlots` gives them. */
  async checkpoint(slots: () => Promise<NamedArray[]>, loopDone: boolean): Promise<void> {
    const policy = this.run.callbacks?.checkpoint;
    if (policy === undefined) return;
    await policy.save(await this.snapshot(await slots(), loopDone));
    this.lastCheckpointAt = Date.now();
  }

  /** The run's end once its loop is over: the last checkpoint of a completed loop and the end-of-run hooks, or what a diverged run writes instead. */
  async finish(slots: () => Promise<NamedArray[]>): Promise<void> {
    if (this.divergence !== undefined) {
      const skipped = endHooksSkipped(this.hooks, this.divergence, this.stepsDone, this.epoch);
      if (skipped !== undefined) await this.emit(skipped);
      return;
    }
    // Stopped by its signal: the checkpoint came as it left; the end-of-run hooks belong to the run's real end.
    if (this.aborted) return;
    if (!this.loopDone) await this.checkpoint(slots, true);
    for (const hook of this.hooks) if (hook.schedule.atEnd === true) await this.runHook(hook, this.stepsDone, this.epoch);
  }

  /** A checkpoint holds the loop's whole state; `loopDone` says whether any step is left. Nothing may be unread. */
  private async snapshot(slots: readonly NamedArray[], loopDone: boolean): Promise<TrainCheckpoint> {
    const { model } = this.run;
    const tensors: NamedArray[] = [];
    for (const p of model.parameters) tensors.push(await toNamedArray(`param/${p.path}`, p.variable));
    for (const [path, v] of flattenTree(model.state)) tensors.push(await toNamedArray(`state/${path}`, v));
    for (const slot of slots) tensors.push({ ...slot, name: `optimizer/${slot.name}` });
    for (const hook of this.hooks) for (const a of (await hook.saveState?.(model)) ?? []) tensors.push({ ...a, name: `hook/${hook.name}/${a.name}` });
    return {
      step: this.stepsDone,
      epoch: this.epoch,
      records: this.records,
      seconds: this.seconds(),
      loopDone,
      initialLoss: this.initialLoss,
      window: { sum: this.windowSum, count: this.windowCount },
      lastBatchLoss: finiteOrNull(this.lastBatchLoss),
      sampler: this.sampler.state(),
      rngs: { augment: this.augmentRng.state(), dropout: this.dropoutRng.state() },
      tensors,
    };
  }

  /** Continues from a checkpoint: the model's parameters and state, the hooks' memory, the loop's counters and streams. */
  restore(c: TrainCheckpoint): void {
    this.savedSlots = restoreModel(this.run.model, c);
    for (const hook of this.hooks) {
      const prefix = `hook/${hook.name}/`;
      const own = c.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
      if (hook.loadState !== undefined) hook.loadState(this.run.model, own);
    }
    this.sampler.restore(c.sampler);
    this.augmentRng = restoreRng(c.rngs.augment);
    this.dropoutRng = restoreRng(c.rngs.dropout);
    this.stepsDone = c.step;
    this.epoch = c.epoch;
    this.records = c.records;
    this.secondsBefore = c.seconds;
    this.initialLoss = c.initialLoss;
    this.windowSum = c.window.sum;
    this.windowCount = c.window.count;
    this.lastBatchLoss = c.lastBatchLoss ?? Number.NaN;
    this.loopDone = c.loopDone;
    this.learningRate = learningRateAt(this.run.config.schedule, { step: this.stepsDone, epoch: this.epoch });
  }

  result(): TrainResult {
    if (this.windowCount > 0) this.lastBatchLoss = this.windowSum / this.windowCount;
    const d = this.divergence;
    return {
      outcome: d !== undefined ? 'diverged' : this.aborted ? 'aborted' : 'completed',
      steps: this.stepsDone,
      epochs: this.stepsDone / this.sampler.stepsPerEpoch,
      lastBatchLoss: this.lastBatchLoss,
      ...(d === undefined ? {} : { divergedAtStep: d.step, divergence: d }),
      seconds: this.seconds(),
    };
  }
}
