import { gatherBatch, type Dataset } from '../data/dataset';
import { BatchSampler } from '../data/sampler';
import { ConfigError } from '../errors';
import { flattenTree } from '../layers/context';
import type { Model } from '../layers/model';
import { replicate, type ReplicatedModel } from '../layers/replicated';
import { lossLabel, resolveLoss, type Loss } from '../losses';
import { toNamedArray, type NamedArray } from '../named-array';
import { createReplicatedOptimizer, type ReplicatedOptimizer } from '../optim/replicated';
import { learningRateAt } from '../optim/schedule';
import { createRng, restoreRng, type Rng } from '../rng';
import { tf, type Tensor } from '../tf';
import { yieldToEventLoop } from '../yield';
import { restoreModel, type TrainCheckpoint } from './checkpoint';
import { divergenceOf, DEFAULT_DIVERGENCE_FACTOR, type Divergence } from './divergence';
import { endHooksSkipped, isDue, validate } from './loop';
import type { Hook, RunRecord, TrainCallbacks, TrainConfig, TrainResult } from './types';

/** One member of a replica group: what `train(model, data, config, callbacks)` would receive for its solo run. */
export interface ReplicaRun {
  /** Initialized exactly as its solo run's model (its own seed). */
  readonly model: Model;
  readonly data: Dataset;
  readonly config: TrainConfig;
  readonly callbacks?: TrainCallbacks;
}

const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * One replica's loop state: everything `train()` keeps in local variables, kept per replica.
 * Its methods are `train()`'s steps for this replica; the group does the tensor work for all.
 */
class Replica {
  readonly loss: Loss;
  readonly rng: Rng;
  readonly sampler: BatchSampler;
  augmentRng: Rng;
  dropoutRng: Rng;
  readonly layerRng = { seed: () => this.dropoutRng.int(2 ** 31 - 1) };
  readonly augment?: (x: Float32Array, shape: readonly number[]) => void;
  readonly hooks: readonly Hook[];
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
  secondsBefore = 0;
  lastCheckpointAt = Date.now();
  loopDone = false;
  /** Slots its checkpoint held for the optimizer, handed to the group optimizer once. */
  savedSlots: NamedArray[] = [];

  constructor(readonly run: ReplicaRun) {
    const { config, data } = run;
    validate(config, data);
    this.loss = resolveLoss(config.loss);
    this.hooks = run.callbacks?.hooks ?? [];
    this.rng = createRng(config.seed);
    this.sampler = new BatchSampler(data.train.n, config.batchSize, config.sampling ?? 'shuffled-epochs', this.rng.fork('batches'));
    this.augmentRng = this.rng.fork('augment');
    this.dropoutRng = this.rng.fork('dropout');
    this.augment = config.augment === undefined ? undefined : (x, shape) => config.augment!(x, shape, this.augmentRng);
    this.learningRate = learningRateAt(config.schedule, { step: 0, epoch: 0 });
  }

  get divergenceFactor(): number | null {
    const f = this.run.config.divergenceFactor;
    return f === undefined ? DEFAULT_DIVERGENCE_FACTOR : f;
  }

  seconds(): number {
    return this.secondsBefore + (Date.now() - this.started) / 1000;
  }

  get finished(): boolean {
    return this.loopDone || this.divergence !== undefined || this.stepsDone >= this.run.config.steps;
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

  async snapshot(optimizer: ReplicatedOptimizer, index: number, trainable: ReplicatedModel['trainable'], loopDone: boolean): Promise<TrainCheckpoint> {
    const { model } = this.run;
    const tensors: NamedArray[] = [];
    for (const p of model.parameters) tensors.push(await toNamedArray(`param/${p.path}`, p.variable));
    for (const [path, v] of flattenTree(model.state)) tensors.push(await toNamedArray(`state/${path}`, v));
    for (const slot of await optimizer.saveSlots(index, trainable)) tensors.push({ ...slot, name: `optimizer/${slot.name}` });
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

  result(aborted: boolean): TrainResult {
    if (this.windowCount > 0) this.lastBatchLoss = this.windowSum / this.windowCount;
    const d = this.divergence;
    return {
      outcome: d !== undefined ? 'diverged' : aborted ? 'aborted' : 'completed',
      steps: this.stepsDone,
      epochs: this.stepsDone / this.sampler.stepsPerEpoch,
      lastBatchLoss: this.lastBatchLoss,
      ...(d === undefined ? {} : { divergedAtStep: d.step, divergence: d }),
      seconds: this.seconds(),
    };
  }
}

/** Replicas of one group must agree on everything that shapes a tensor or the loss. */
function checkGroup(replicas: readonly Replica[]): void {
  const first = replicas[0]!;
  for (const r of replicas) {
    const same = (what: string, a: unknown, b: unknown) => {
      if (a !== b) throw new ConfigError(what, `replicas of one group must share it (${String(a)} vs ${String(b)}); train such runs in separate groups`);
    };
    same('batchSize', r.run.config.batchSize, first.run.config.batchSize);
    same('loss', lossLabel(r.loss), lossLabel(first.loss));
    same('data', `${r.run.data.inputShape.join(',')}|${r.run.data.task}`, `${first.run.data.inputShape.join(',')}|${first.run.data.task}`);
  }
}

/**
 * Trains R runs as one batched model (see `replicate`): each replica draws its own minibatches,
 * dropout masks and augmentations from its own seed, steps with its own learning rate and
 * optimizer numbers, checks its own divergence, and calls its own hooks, sinks and checkpoint
 * policy on its own model, into which its slice of the group's parameters is copied first. So
 * every replica writes what its solo `train()` would (same records, same checkpoints, which its
 * solo run can resume), and returns the same result. A replica that diverges or reaches its last
 * step leaves the group; the others go on.
 */
export async function trainReplicas(runs: readonly ReplicaRun[]): Promise<TrainResult[]> {
  if (runs.length === 0) return [];
  const replicas = runs.map((run) => new Replica(run));
  checkGroup(replicas);
  const loss = replicas[0]!.loss;
  const aborted = replicas.map(() => false);

  for (const r of replicas) {
    const resume = r.run.callbacks?.resume;
    if (resume !== undefined) r.restore(resume);
    else for (const hook of r.hooks) if (hook.schedule.atStart === true) await r.runHook(hook, 0, 0);
  }
  // A replica whose loop had already ended (or has no steps) only finishes.
  let active = replicas.map((_, i) => i).filter((i) => !replicas[i]!.finished);
  for (const [i, r] of replicas.entries()) if (!active.includes(i)) await finish(r, undefined, 0, undefined);

  // Nothing left to train (every replica had 0 steps or had ended): no group, no optimizer.
  if (active.length === 0) return replicas.map((r) => r.result(false));
  const group = replicate(active.map((i) => replicas[i]!.run.model));
  const optimizer = createReplicatedOptimizer(active.map((i) => replicas[i]!.run.config.optimizer ?? { name: 'sgd' }));
  try {
    optimizer.loadSlots(group.trainable, active.map((i) => replicas[i]!.savedSlots));
    await loop(group, optimizer);
  } finally {
    optimizer.dispose();
    group.dispose();
  }
  return replicas.map((r, i) => r.result(aborted[i]!));

  async function loop(group: ReplicatedModel, optimizer: ReplicatedOptimizer): Promise<void> {
    while (active.length > 0) {
      await yieldToEventLoop();
      const fresh = new Set<number>();
      const writeBack = (j: number) => {
        if (fresh.has(j)) return;
        group.writeBack(j, replicas[active[j]!]!.run.model);
        fresh.add(j);
      };

      // 0. Replicas whose signal fired stop here, with a checkpoint to resume from.
      const leaving = new Set<number>();
      for (const [j, i] of active.entries()) {
        if (replicas[i]!.run.callbacks?.signal?.aborted === true) {
          aborted[i] = true;
          writeBack(j);
          await checkpoint(replicas[i]!, optimizer, j, group, false);
          leaving.add(j);
        }
      }
      if (leaving.size > 0) {
        shrink(group, optimizer, leaving);
        continue;
      }

      // 1. Each replica's minibatch and learning rate.
      const members = active.map((i) => replicas[i]!);
      const draws = members.map((r) => r.sampler.next());
      members.forEach((r, j) => {
        r.epoch = draws[j]!.epoch;
        r.learningRate = learningRateAt(r.run.config.schedule, { step: r.stepsDone, epoch: r.epoch });
      });

      // 2. One optimizer step for the group; per-replica losses come back as one [R] vector.
      const held: { losses?: Tensor } = {};
      tf.tidy(() => {
        const batches = members.map((r, j) => gatherBatch(r.run.data, r.run.data.train, draws[j]!.indices, r.augment));
        const x = tf.stack(batches.map((b) => b.x));
        const y = tf.stack(batches.map((b) => b.y));
        const stateUpdates = new Map<string, Tensor>();
        const { grads } = tf.variableGrads(() => {
          const out = group.apply(x, { training: true, stateUpdates, rngs: members.map((r) => r.layerRng) });
          const fold = (t: Tensor) => tf.reshape(t, [t.shape[0]! * t.shape[1]!, ...t.shape.slice(2)]);
          const losses = tf.mean(tf.reshape(loss.perExample(fold(out), fold(y)), [members.length, -1]), 1);
          held.losses = tf.keep(losses);
          return tf.sum(losses) as tf.Scalar;
        }, group.trainable as tf.Variable[]);
        optimizer.step(group.trainable, group.trainable.map((v) => grads[v.name]!), members.map((r) => r.learningRate));
        group.commitState(stateUpdates);
      });
      const losses = await held.losses!.data();
      held.losses!.dispose();

      // 3–6. Each replica's bookkeeping, as in train().
      for (const [j, r] of members.entries()) {
        const batchLoss = losses[j]!;
        r.initialLoss ??= batchLoss;
        r.divergence = divergenceOf(batchLoss, r.initialLoss, r.divergenceFactor, r.stepsDone);
        if (r.divergence !== undefined) {
          await r.emit({ kind: 'diverged', step: r.stepsDone, epoch: r.epoch, loss: r.divergence.loss, reason: r.divergence.reason, lr: r.learningRate });
          writeBack(j);
          leaving.add(j);
          continue;
        }
        r.stepsDone++;
        r.windowSum += batchLoss;
        r.windowCount++;
        const { steps } = r.run.config;
        if (r.stepsDone % (r.run.config.logEvery ?? 10) === 0 || r.stepsDone === steps) {
          r.lastBatchLoss = r.windowSum / r.windowCount;
          await r.emit({ kind: 'train', step: r.stepsDone, epoch: r.epoch, loss: r.lastBatchLoss, lr: r.learningRate, seconds: r.seconds() });
          r.run.callbacks?.onProgress?.({ step: r.stepsDone, steps, epoch: r.epoch, epochs: r.stepsDone / r.sampler.stepsPerEpoch, loss: r.lastBatchLoss, learningRate: r.learningRate });
          r.windowSum = 0;
          r.windowCount = 0;
        }
        const epochsDone = draws[j]!.endsEpoch ? r.epoch + 1 : r.epoch;
        for (const hook of r.hooks) {
          if (isDue(hook, r.stepsDone, draws[j]!.endsEpoch, epochsDone)) {
            writeBack(j);
            await r.runHook(hook, r.stepsDone, epochsDone);
          }
        }
        const policy = r.run.callbacks?.checkpoint;
        if (policy !== undefined && r.stepsDone < steps) {
          const bySteps = policy.everySteps !== undefined && r.stepsDone % policy.everySteps === 0;
          const bySeconds = policy.everySeconds !== undefined && Date.now() - r.lastCheckpointAt >= policy.everySeconds * 1000;
          if (bySteps || bySeconds) {
            writeBack(j);
            await checkpoint(r, optimizer, j, group, false);
          }
        }
        if (r.stepsDone >= steps) {
          writeBack(j);
          leaving.add(j);
        }
      }
      for (const j of leaving) await finish(members[j]!, optimizer, j, group);
      if (leaving.size > 0) shrink(group, optimizer, leaving);
    }
  }

  function shrink(group: ReplicatedModel, optimizer: ReplicatedOptimizer, leaving: ReadonlySet<number>): void {
    const keep = active.map((_, j) => j).filter((j) => !leaving.has(j));
    active = keep.map((j) => active[j]!);
    if (active.length > 0) {
      group.keep(keep);
      optimizer.keep(keep);
    }
  }

  async function checkpoint(r: Replica, optimizer: ReplicatedOptimizer, j: number, group: ReplicatedModel, loopDone: boolean): Promise<void> {
    const policy = r.run.callbacks?.checkpoint;
    if (policy === undefined) return;
    await policy.save(await r.snapshot(optimizer, j, group.trainable, loopDone));
    r.lastCheckpointAt = Date.now();
  }

  /** A replica's end, as at the end of train(): the final checkpoint of a completed loop, then the end-of-run hooks. */
  async function finish(r: Replica, optimizer: ReplicatedOptimizer | undefined, j: number, group: ReplicatedModel | undefined): Promise<void> {
    if (r.divergence === undefined && !r.loopDone) {
      const policy = r.run.callbacks?.checkpoint;
      if (policy !== undefined) {
        if (optimizer !== undefined && group !== undefined) {
          await policy.save(await r.snapshot(optimizer, j, group.trainable, true));
        } else {
          // A replica that takes no step here (zero steps): its own model holds everything, and an unstepped optimizer what its solo one would save.
          const idle = createReplicatedOptimizer([r.run.config.optimizer ?? { name: 'sgd' }]);
          try {
            await policy.save(await r.snapshot(idle, 0, [], true));
          } finally {
            idle.dispose();
          }
        }
      }
    }
    if (r.divergence !== undefined) {
      const skipped = endHooksSkipped(r.hooks, r.divergence, r.stepsDone, r.epoch);
      if (skipped !== undefined) await r.emit(skipped);
      return;
    }
    for (const hook of r.hooks) if (hook.schedule.atEnd === true) await r.runHook(hook, r.stepsDone, r.epoch);
  }
}
