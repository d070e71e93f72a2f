import { gatherBatch, type Dataset } from '../data/dataset';
import { BatchSampler } from '../data/sampler';
import { ConfigError } from '../errors';
import { flattenTree } from '../layers/context';
import type { Model } from '../layers/model';
import { resolveLoss } from '../losses';
import { toNamedArray, type NamedArray } from '../named-array';
import { createOptimizer } from '../optim/optimizer';
import { learningRateAt, validateSchedule } from '../optim/schedule';
import { createRng, restoreRng } from '../rng';
import { yieldToEventLoop } from '../yield';
import { tf, type Tensor } from '../tf';
import { restoreModel, type TrainCheckpoint } from './checkpoint';
import { divergenceOf, DEFAULT_DIVERGENCE_FACTOR, END_HOOKS_SKIPPED, type Divergence } from './divergence';
import type { Hook, RunRecord, TrainCallbacks, TrainConfig, TrainResult } from './types';

export function validate(config: TrainConfig, data: Dataset): void {
  if (!Number.isInteger(config.steps) || config.steps < 0) throw new ConfigError('steps', `must be a non-negative integer, got ${config.steps}`);
  if (!Number.isInteger(config.seed)) throw new ConfigError('seed', `must be an integer, got ${config.seed}`);
  const logEvery = config.logEvery ?? 10;
  if (!Number.isInteger(logEvery) || logEvery < 1) throw new ConfigError('logEvery', `must be a positive integer, got ${logEvery}`);
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
 * What a diverged run writes instead of running its end-of-run hooks (`train()` and replica groups
 * alike): undefined when it has none. Its parameters are not finite or racing off, so measuring
 * them would cost minutes and mean nothing.
 */
export function endHooksSkipped(hooks: readonly Hook[], divergence: Divergence, step: number, epoch: number): RunRecord | undefined {
  const skipped = hooks.filter((hook) => hook.schedule.atEnd === true).map((hook) => hook.name);
  if (skipped.length === 0) return undefined;
  return { kind: END_HOOKS_SKIPPED, step, epoch, hooks: skipped, reason: `the run diverged at step ${divergence.step} (${divergence.reason})` };
}

/**
 * Trains `model` on `data` with minibatch SGD (or another optimizer) and returns how it ended.
 * Reads top to bottom: restore, sample, step, record, call hooks, checkpoint. A loss that is not
 * finite or leaves the divergence bound ends the run with outcome `diverged`, written to the
 * sinks; it is a result, not an exception. A run stopped by its signal ends `aborted` after the
 * current step, with a checkpoint to resume from.
 */
export async function train(model: Model, data: Dataset, config: TrainConfig, callbacks: TrainCallbacks = {}): Promise<TrainResult> {
  validate(config, data);
  const started = Date.now();
  const loss = resolveLoss(config.loss);
  const logEvery = config.logEvery ?? 10;
  const divergenceFactor = config.divergenceFactor === undefined ? DEFAULT_DIVERGENCE_FACTOR : config.divergenceFactor;
  const hooks = callbacks.hooks ?? [];
  const sinks = callbacks.sinks ?? [];
  const policy = callbacks.checkpoint;
  const rng = createRng(config.seed);
  const sampler = new BatchSampler(data.train.n, config.batchSize, config.sampling ?? 'shuffled-epochs', rng.fork('batches'));
  // Its own stream, so that switching augmentation on leaves the minibatch order as it was.
  let augmentRng = rng.fork('augment');
  const augment = config.augment === undefined ? undefined : (x: Float32Array, shape: readonly number[]) => config.augment!(x, shape, augmentRng);
  // Dropout masks get their own stream too; layers without randomness never draw from it.
  let dropoutRng = rng.fork('dropout');
  const layerRng = { seed: () => dropoutRng.int(2 ** 31 - 1) };
  const optimizer = createOptimizer(config.optimizer ?? { name: 'sgd' });
  const trainable = model.parameters.filter((p) => p.trainable).map((p) => p.variable);

  let records = 0;
  const emit = async (record: RunRecord) => {
    for (const sink of sinks) await sink.write(record);
    records++;
  };
  const runHook = async (hook: Hook, step: number, epoch: number, learningRate: number) => {
    const values = await hook.run({ model, data, loss, step, epoch, learningRate, rng: rng.fork(`hook:${hook.name}`).fork(step) });
    if (values !== undefined) await emit({ kind: hook.name, step, epoch, ...values });
  };

  let stepsDone = 0;
  let epoch = 0;
  let learningRate = learningRateAt(config.schedule, { step: 0, epoch: 0 });
  let windowSum = 0;
  let windowCount = 0;
  let lastBatchLoss = Number.NaN;
  let initialLoss: number | null = null;
  let divergence: Divergence | undefined;
  let secondsBefore = 0;
  const seconds = () => secondsBefore + (Date.now() - started) / 1000;

  // A checkpoint holds the loop's whole state; `loopDone` says whether any step is left.
  const snapshot = async (loopDone: boolean): Promise<TrainCheckpoint> => {
    const tensors: NamedArray[] = [];
    for (const p of model.parameters) tensors.push(await toNamedArray(`param/${p.path}`, p.variable));
    for (const [path, v] of flattenTree(model.state)) tensors.push(await toNamedArray(`state/${path}`, v));
    for (const slot of await optimizer.saveSlots(trainable)) tensors.push({ ...slot, name: `optimizer/${slot.name}` });
    for (const hook of hooks) for (const a of (await hook.saveState?.(model)) ?? []) tensors.push({ ...a, name: `hook/${hook.name}/${a.name}` });
    return {
      step: stepsDone,
      epoch,
      records,
      seconds: seconds(),
      loopDone,
      initialLoss,
      window: { sum: windowSum, count: windowCount },
      lastBatchLoss: finiteOrNull(lastBatchLoss),
      sampler: sampler.state(),
      rngs: { augment: augmentRng.state(), dropout: dropoutRng.state() },
      tensors,
    };
  };
  let lastCheckpointAt = Date.now();
  const checkpoint = async (loopDone: boolean) => {
    if (policy === undefined) return;
    await policy.save(await snapshot(loopDone));
    lastCheckpointAt = Date.now();
  };

  // 0. Continue from a checkpoint, or start: hooks that measure the initialization run here.
  const resume = callbacks.resume;
  if (resume !== undefined) {
    await restore(resume);
  } else {
    for (const hook of hooks) if (hook.schedule.atStart === true) await runHook(hook, 0, 0, learningRate);
  }
  const loopDone = resume?.loopDone ?? false;

  while (!loopDone && stepsDone < config.steps) {
    // Let signal handlers and UI events run: on cpu and wasm every await below settles as a
    // microtask, so without this a Ctrl-C would wait for the next file write.
    await yieldToEventLoop();
    if (callbacks.signal?.aborted === true) break;

    // 1. Sample a minibatch with the run's RNG and pick this step's learning rate.
    const draw = sampler.next();
    epoch = draw.epoch;
    learningRate = learningRateAt(config.schedule, { step: stepsDone, epoch });

    // 2. One optimizer step; everything but the loss value is disposed inside the tidy.
    const lossTensor = tf.tidy(() => {
      const batch = gatherBatch(data, data.train, draw.indices, augment);
      const stateUpdates = new Map<string, Tensor>();
      const { value, grads } = tf.variableGrads(
        () => tf.mean(loss.perExample(model.apply(batch.x, { training: true, stateUpdates, rng: layerRng }), batch.y)) as tf.Scalar,
        trainable,
      );
      optimizer.step(trainable, trainable.map((v) => grads[v.name]!), learningRate);
      model.commitState(stateUpdates);
      return value;
    });
    const batchLoss = (await lossTensor.data())[0]!;
    lossTensor.dispose();

    // 3. A loss that is not finite, or far above where it started, ends the run: the
    //    parameters are poisoned or racing off, so stop here.
    initialLoss ??= batchLoss;
    divergence = divergenceOf(batchLoss, initialLoss, divergenceFactor, stepsDone);
    if (divergence !== undefined) {
      await emit({ kind: 'diverged', step: stepsDone, epoch, loss: divergence.loss, reason: divergence.reason, lr: learningRate });
      break;
    }
    stepsDone++;
    windowSum += batchLoss;
    windowCount++;

    // 4. Record the mean minibatch loss every `logEvery` steps and report progress.
    if (stepsDone % logEvery === 0 || stepsDone === config.steps) {
      lastBatchLoss = windowSum / windowCount;
      await emit({ kind: 'train', step: stepsDone, epoch, loss: lastBatchLoss, lr: learningRate, seconds: seconds() });
      callbacks.onProgress?.({ step: stepsDone, steps: config.steps, epoch, epochs: stepsDone / sampler.stepsPerEpoch, loss: lastBatchLoss, learningRate });
      windowSum = 0;
      windowCount = 0;
    }

    // 5. Hooks whose schedule is due after this step.
    const epochsDone = draw.endsEpoch ? epoch + 1 : epoch;
    for (const hook of hooks) if (isDue(hook, stepsDone, draw.endsEpoch, epochsDone)) await runHook(hook, stepsDone, epochsDone, learningRate);

    // 6. A checkpoint on schedule (the last step's comes below, with loopDone set).
    if (policy !== undefined && stepsDone < config.steps) {
      const bySteps = policy.everySteps !== undefined && stepsDone % policy.everySteps === 0;
      const bySeconds = policy.everySeconds !== undefined && Date.now() - lastCheckpointAt >= policy.everySeconds * 1000;
      if (bySteps || bySeconds) await checkpoint(false);
    }
  }

  if (windowCount > 0) lastBatchLoss = windowSum / windowCount;
  const aborted = divergence === undefined && !loopDone && stepsDone < config.steps;
  if (aborted) {
    // Stopped by the signal: checkpoint so that a resume continues from this very step. The
    // end-of-run hooks belong to the run's real end, which has not come.
    await checkpoint(false);
  } else if (divergence !== undefined) {
    const skipped = endHooksSkipped(hooks, divergence, stepsDone, epoch);
    if (skipped !== undefined) await emit(skipped);
  } else {
    if (!loopDone) await checkpoint(true);
    for (const hook of hooks) if (hook.schedule.atEnd === true) await runHook(hook, stepsDone, epoch, learningRate);
  }
  optimizer.dispose();

  return {
    outcome: divergence !== undefined ? 'diverged' : aborted ? 'aborted' : 'completed',
    steps: stepsDone,
    epochs: stepsDone / sampler.stepsPerEpoch,
    lastBatchLoss,
    ...(divergence === undefined ? {} : { divergedAtStep: divergence.step, divergence }),
    seconds: seconds(),
  };

  async function restore(c: TrainCheckpoint): Promise<void> {
    await optimizer.loadSlots(trainable, restoreModel(model, c));
    for (const hook of hooks) {
      const prefix = `hook/${hook.name}/`;
      const own = c.tensors.filter((t) => t.name.startsWith(prefix)).map((t) => ({ ...t, name: t.name.slice(prefix.length) }));
      if (hook.loadState !== undefined) hook.loadState(model, own);
    }
    sampler.restore(c.sampler);
    augmentRng = restoreRng(c.rngs.augment);
    dropoutRng = restoreRng(c.rngs.dropout);
    stepsDone = c.step;
    epoch = c.epoch;
    records = c.records;
    secondsBefore = c.seconds;
    initialLoss = c.initialLoss;
    windowSum = c.window.sum;
    windowCount = c.window.count;
    lastBatchLoss = c.lastBatchLoss ?? Number.NaN;
    learningRate = learningRateAt(config.schedule, { step: stepsDone, epoch });
  }
}
