import { gatherBatch, type Dataset } from '../data/dataset';
import { ResidentSplits } from '../data/resident-split';
import type { Model } from '../layers/model';
import { createOptimizer } from '../optim/optimizer';
import { tf, type Tensor } from '../tf';
import { runLoop, type Stepper } from './run-loop';
import type { RunState } from './run-state';
import type { TrainCallbacks, TrainConfig, TrainResult } from './types';

/**
 * Trains `model` on `data` with minibatch SGD (or another optimizer) and returns how it ended.
 * The loop (`runLoop`) reads top to bottom: restore, sample, step, read the losses when needed,
 * record, call hooks, checkpoint. A loss that is not finite or leaves the divergence bound ends
 * the run with outcome `diverged`, written to the sinks; it is a result, not an exception. A run
 * stopped by its signal ends `aborted` after the current step, with a checkpoint to resume from.
 * Losses stay on the backend until a record, hook or checkpoint needs them, at most
 * `config.readLossEvery` steps (see `RunState.settle` for why that changes no result).
 */
export async function train(model: Model, data: Dataset, config: TrainConfig, callbacks: TrainCallbacks = {}): Promise<TrainResult> {
  const trainable = model.parameters.filter((p) => p.trainable).map((p) => p.variable);
  // Made before any work, so that a bad spec fails at once.
  const optimizer = createOptimizer(config.optimizer ?? { name: 'sgd' });
  let handedOver = false;
  try {
    const [result] = await runLoop([{ model, data, config, callbacks }], {
      stepper: async ([run]) => {
        if (run!.savedSlots !== undefined) await optimizer.loadSlots(trainable, run!.savedSlots);
        handedOver = true;
        const resident = ResidentSplits.create([{ data, split: data.train, augments: run!.augment !== undefined }]);
        return {
          step: (_members, [draw]) => soloStep(run!, draw!.indices, resident),
          writeBack: () => {},
          saveSlots: () => optimizer.saveSlots(trainable),
          keep: () => {},
          dispose: () => {
            resident?.dispose();
            optimizer.dispose();
          },
        } satisfies Stepper;
      },
      // The run's optimizer has not stepped: what it saves is what a solo run saves at step 0.
      idleSlots: () => optimizer.saveSlots(trainable),
    });
    return result!;
  } finally {
    if (!handedOver) optimizer.dispose();
  }

  /** One optimizer step; everything but the loss value is disposed inside the tidy. */
  function soloStep(run: RunState, indices: Int32Array, resident: ResidentSplits | undefined): Tensor {
    return tf.tidy(() => {
      const batch = resident?.gather([indices], false) ?? gatherBatch(data, [{ split: data.train, indices, transform: run.augment }], false);
      const stateUpdates = new Map<string, Tensor>();
      const { value, grads } = tf.variableGrads(
        () => tf.mean(run.loss.perExample(model.apply(batch.x, { training: true, stateUpdates, rng: run.layerRng }), batch.y)) as tf.Scalar,
        trainable,
      );
      optimizer.step(trainable, trainable.map((v) => grads[v.name]!), run.learningRate);
      model.commitState(stateUpdates);
      return value;
    });
  }
}
