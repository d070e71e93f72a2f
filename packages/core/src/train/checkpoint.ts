import type { SamplerState } from '../data/sampler';
import { ShapeError } from '../errors';
import { flattenTree } from '../layers/context';
import type { Model } from '../layers/model';
import type { NamedArray } from '../named-array';
import type { RngState } from '../rng';
import { tf } from '../tf';

/**
 * Everything the training loop needs to continue a run exactly where it stood: a resumed run
 * takes the same minibatches, the same dropout masks and augmentations, the same optimizer
 * state, and writes the same records as one that was never interrupted (same backend).
 *
 * It is plain data (numbers, strings and typed arrays), so any store can persist it; the loop
 * neither reads nor writes files. Tensor names are `param/<path>`, `state/<path>` (batch-norm
 * statistics), `optimizer/<slot>` and `hook/<hook name>/<name>`.
 */
export interface TrainCheckpoint {
  /** Optimizer steps taken. */
  readonly step: number;
  readonly epoch: number;
  /** Records the sinks had received when it was taken; a resumed run's next record is number `records`. */
  readonly records: number;
  /** Training seconds before it was taken, so a resumed run's `seconds` count on. */
  readonly seconds: number;
  /** True once the loop has taken its last step: resuming then runs only the end-of-run hooks. */
  readonly loopDone: boolean;
  /** The first minibatch loss, which the divergence bound is relative to; null before the first step. */
  readonly initialLoss: number | null;
  /** The open logging window: the sum and count of minibatch losses since the last `train` record. */
  readonly window: { readonly sum: number; readonly count: number };
  readonly lastBatchLoss: number | null;
  readonly sampler: SamplerState;
  readonly rngs: { readonly augment: RngState; readonly dropout: RngState };
  readonly tensors: readonly NamedArray[];
}

/** When the loop checkpoints (besides at the end and when stopped), and where the checkpoint goes. */
export interface CheckpointPolicy {
  /** After every this many steps. */
  readonly everySteps?: number;
  /** After the first step that ends this many seconds after the previous checkpoint. */
  readonly everySeconds?: number;
  /** Persists a checkpoint; the loop waits for it, so a stored checkpoint never runs ahead of the records. */
  save(checkpoint: TrainCheckpoint): Promise<void>;
}

/**
 * Writes a checkpoint's parameters and state into `model` (solo runs and each replica of a group
 * alike) and returns its optimizer slots, named as the optimizer saved them, for `loadSlots`.
 */
export function restoreModel(model: Model, c: TrainCheckpoint): NamedArray[] {
  const byName = new Map(c.tensors.map((t) => [t.name, t]));
  const take = (name: string, shape: readonly number[]): NamedArray => {
    const t = byName.get(name);
    if (t === undefined) throw new ShapeError(`the checkpoint has no '${name}'; was it written for another model or config?`);
    if (t.shape.join(',') !== shape.join(',')) throw new ShapeError(`checkpoint tensor '${name}' has shape [${t.shape.join(', ')}], the model [${shape.join(', ')}]`);
    return t;
  };
  model.writeWeights(model.parameters.map((p) => ({ path: p.path, shape: p.shape, values: take(`param/${p.path}`, p.shape).values as Float32Array })));
  for (const [path, v] of flattenTree(model.state)) {
    const t = take(`state/${path}`, v.shape);
    tf.tidy(() => v.assign(tf.tensor(t.values, v.shape, t.dtype)));
  }
  return c.tensors.filter((t) => t.name.startsWith('optimizer/')).map((t) => ({ ...t, name: t.name.slice('optimizer/'.length) }));
}
