import { gatherBatch } from '../data/dataset';
import { activeBackendTraits } from '../backend/registry';
import { ResidentSplits } from '../data/resident-split';
import { ConfigError } from '../errors';
import { replicate } from '../layers/replicated';
import { lossLabel, replicaMeanLosses } from '../losses';
import { createReplicatedOptimizer } from '../optim/replicated';
import { tf, type Tensor } from '../tf';
import { train } from './loop';
import { runLoop, type Stepper } from './run-loop';
import type { RunSpec, RunState } from './run-state';
import type { TrainResult } from './types';

/** One member of a replica group: what `train(model, data, config, callbacks)` would receive for its solo run. */
export type ReplicaRun = RunSpec;

/** Replicas of one group must agree on everything that shapes a tensor or the loss. */
function checkGroup(replicas: readonly RunState[]): void {
  const first = replicas[0];
  if (first === undefined) return;
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
 * step leaves the group; the others go on. The bookkeeping is `train()`'s own (`runLoop`). On a
 * backend whose trait says batching loses (`replicaSteps: 'sequential'`), the members train as
 * their solo runs one after another instead.
 */
export async function trainReplicas(runs: readonly ReplicaRun[]): Promise<TrainResult[]> {
  // Where batching loses (the backend's `replicaSteps`), the group is its members' solo runs in turn.
  if (activeBackendTraits().replicaSteps === 'sequential') {
    const results: TrainResult[] = [];
    for (const r of runs) results.push(await train(r.model, r.data, r.config, r.callbacks));
    return results;
  }
  return runLoop(
    runs,
    {
      stepper: async (members) => {
        const group = replicate(members.map((r) => r.run.model));
        let optimizer;
        let resident;
        try {
          optimizer = createReplicatedOptimizer(members.map((r) => r.run.config.optimizer ?? { name: 'sgd' }));
          optimizer.loadSlots(group.trainable, members.map((r) => r.savedSlots ?? []));
          resident = ResidentSplits.create(members.map((r) => ({ data: r.run.data, split: r.run.data.train, augments: r.augment !== undefined })));
        } catch (e) {
          optimizer?.dispose();
          group.dispose();
          throw e;
        }
        const opt = optimizer;
        const splits = resident;
        // Positions of the members still in the group, so that a model can be found for `writeBack`.
        let models = members.map((r) => r.run.model);
        return {
          step: (active, draws) => groupStep(active, draws),
          writeBack: (j) => group.writeBack(j, models[j]!),
          saveSlots: (j) => opt.saveSlots(j, group.trainable),
          keep: (indices) => {
            models = indices.map((j) => models[j]!);
            group.keep(indices);
            opt.keep(indices);
            splits?.keep(indices);
          },
          dispose: () => {
            splits?.dispose();
            opt.dispose();
            group.dispose();
          },
        } satisfies Stepper;

        /** One optimizer step for the group; per-replica losses come back as one [R] vector. */
        function groupStep(active: readonly RunState[], draws: ReadonlyArray<{ indices: Int32Array }>): Tensor {
          const loss = active[0]!.loss;
          const held: { losses?: Tensor } = {};
          tf.tidy(() => {
            const { x, y } = splits?.gather(draws.map((d) => d.indices)) ??
              gatherBatch(active[0]!.run.data, active.map((r, j) => ({ split: r.run.data.train, indices: draws[j]!.indices, transform: r.augment })), true);
            const stateUpdates = new Map<string, Tensor>();
            const { grads } = tf.variableGrads(() => {
              const losses = replicaMeanLosses(loss, group.apply(x, { training: true, stateUpdates, rngs: active.map((r) => r.layerRng) }), y);
              held.losses = tf.keep(losses);
              return tf.sum(losses) as tf.Scalar;
            }, group.trainable as tf.Variable[]);
            opt.step(group.trainable, group.trainable.map((v) => grads[v.name]!), active.map((r) => r.learningRate));
            group.commitState(stateUpdates);
          });
          return held.losses!;
        }
      },
      // A replica that takes no step here: its own model holds everything, and an unstepped optimizer what its solo one would save.
      idleSlots: async (r) => {
        const idle = createReplicatedOptimizer([r.run.config.optimizer ?? { name: 'sgd' }]);
        try {
          return await idle.saveSlots(0, []);
        } finally {
          idle.dispose();
        }
      },
    },
    checkGroup,
  );
}
