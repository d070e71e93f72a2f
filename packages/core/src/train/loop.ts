import { gatherBatch, type Dataset } from '../data/dataset';
import { BatchSampler } from '../data/sampler';
import { ConfigError } from '../errors';
import type { Model } from '../layers/model';
import { resolveLoss } from '../losses';
import { createOptimizer } from '../optim/optimizer';
import { learningRateAt, validateSchedule } from '../optim/schedule';
import { createRng } from '../rng';
import { tf, type Tensor } from '../tf';
import type { Hook, RunRecord, TrainCallbacks, TrainConfig, TrainResult } from './types';

function validate(config: TrainConfig, data: Dataset): void {
  if (!Number.isInteger(config.steps) || config.steps < 0) throw new ConfigError('steps', `must be a non-negative integer, got ${config.steps}`);
  if (!Number.isInteger(config.seed)) throw new ConfigError('seed', `must be an integer, got ${config.seed}`);
  const logEvery = config.logEvery ?? 10;
  if (!Number.isInteger(logEvery) || logEvery < 1) throw new ConfigError('logEvery', `must be a positive integer, got ${logEvery}`);
  validateSchedule(config.schedule);
  const loss = resolveLoss(config.loss);
  if (loss.targets === 'class' && data.task !== 'classification') {
    throw new ConfigError('loss', `${loss.name} needs class labels, but data set '${data.name}' is a regression task; use 'square'`);
  }
}

function isDue(hook: Hook, stepsDone: number, epochEnded: boolean, epochsDone: number): boolean {
  const s = hook.schedule;
  if (s.everySteps !== undefined && stepsDone % s.everySteps === 0) return true;
  return epochEnded && s.everyEpochs !== undefined && epochsDone % s.everyEpochs === 0;
}

/**
 * Trains `model` on `data` with minibatch SGD (or another optimizer) and returns how it ended.
 * Reads top to bottom: sample, step, record, call hooks. A non-finite loss ends the run with
 * outcome `diverged`, written to the sinks; it is a result, not an exception.
 */
export async function train(model: Model, data: Dataset, config: TrainConfig, callbacks: TrainCallbacks = {}): Promise<TrainResult> {
  validate(config, data);
  const started = Date.now();
  const loss = resolveLoss(config.loss);
  const logEvery = config.logEvery ?? 10;
  const hooks = callbacks.hooks ?? [];
  const sinks = callbacks.sinks ?? [];
  const rng = createRng(config.seed);
  const sampler = new BatchSampler(data.train.n, config.batchSize, config.sampling ?? 'shuffled-epochs', rng.fork('batches'));
  // Its own stream, so that switching augmentation on leaves the minibatch order as it was.
  const augmentRng = rng.fork('augment');
  const augment = config.augment === undefined ? undefined : (x: Float32Array, shape: readonly number[]) => config.augment!(x, shape, augmentRng);
  // Dropout masks get their own stream too; layers without randomness never draw from it.
  const dropoutRng = rng.fork('dropout');
  const layerRng = { seed: () => dropoutRng.int(2 ** 31 - 1) };
  const optimizer = createOptimizer(config.optimizer ?? { name: 'sgd' });
  const trainable = model.parameters.filter((p) => p.trainable).map((p) => p.variable);

  const emit = async (record: RunRecord) => {
    for (const sink of sinks) await sink.write(record);
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
  let divergedAtStep: number | undefined;

  for (const hook of hooks) if (hook.schedule.atStart === true) await runHook(hook, 0, 0, learningRate);

  while (stepsDone < config.steps && callbacks.signal?.aborted !== true) {
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

    // 3. A non-finite loss ends the run; the parameters are already poisoned, so stop here.
    if (!Number.isFinite(batchLoss)) {
      divergedAtStep = stepsDone;
      await emit({ kind: 'diverged', step: stepsDone, epoch, loss: String(batchLoss), lr: learningRate });
      break;
    }
    stepsDone++;
    windowSum += batchLoss;
    windowCount++;

    // 4. Record the mean minibatch loss every `logEvery` steps and report progress.
    if (stepsDone % logEvery === 0 || stepsDone === config.steps) {
      lastBatchLoss = windowSum / windowCount;
      await emit({ kind: 'train', step: stepsDone, epoch, loss: lastBatchLoss, lr: learningRate, seconds: (Date.now() - started) / 1000 });
      callbacks.onProgress?.({ step: stepsDone, steps: config.steps, epoch, loss: lastBatchLoss, learningRate });
      windowSum = 0;
      windowCount = 0;
    }

    // 5. Hooks whose schedule is due after this step.
    const epochsDone = draw.endsEpoch ? epoch + 1 : epoch;
    for (const hook of hooks) if (isDue(hook, stepsDone, draw.endsEpoch, epochsDone)) await runHook(hook, stepsDone, epochsDone, learningRate);
  }

  if (windowCount > 0) lastBatchLoss = windowSum / windowCount;
  for (const hook of hooks) if (hook.schedule.atEnd === true) await runHook(hook, stepsDone, epoch, learningRate);
  optimizer.dispose();

  return {
    outcome: divergedAtStep === undefined ? 'completed' : 'diverged',
    steps: stepsDone,
    epochs: stepsDone / sampler.stepsPerEpoch,
    lastBatchLoss,
    ...(divergedAtStep === undefined ? {} : { divergedAtStep }),
    seconds: (Date.now() - started) / 1000,
  };
}
