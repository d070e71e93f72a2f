import { ShapeError } from '../errors';
import type { Shape } from '../layers/types';
import type { Rng } from '../rng';
import { tf, type Tensor } from '../tf';

/**
 * An in-memory split: inputs as one Float32Array [n, ...shape] and targets as class indices
 * (Int32Array [n]) or reals (Float32Array [n, targetDim]). Held once; batches are gathered per step.
 */
export interface Split {
  readonly x: Float32Array;
  readonly y: Int32Array | Float32Array;
  readonly n: number;
}

export interface Dataset {
  readonly name: string;
  /** Shape of one example, without the batch dimension. */
  readonly inputShape: Shape;
  readonly task: 'classification' | 'regression';
  /** Number of classes for classification. */
  readonly numClasses?: number;
  /** Width of a real target for regression. */
  readonly targetDim?: number;
  readonly train: Split;
  readonly validation?: Split;
  readonly test?: Split;
  /** Optional human notes, e.g. what a synthetic set stands in for. */
  readonly description?: string;
}

export interface Batch {
  readonly x: Tensor;
  readonly y: Tensor;
}

/**
 * Rewrites a training batch's inputs in place before they become a tensor: data augmentation.
 * `shape` is [batch, ...inputShape]; `rng` is the run's augmentation stream.
 */
export type BatchTransform = (x: Float32Array, shape: readonly number[], rng: Rng) => void;

/**
 * Copies the examples at `indices` into new tensors (the caller disposes them). `transform`, when
 * given, edits the copied inputs first, so the data set itself is never changed.
 */
export function gatherBatch(
  data: Pick<Dataset, 'inputShape' | 'task' | 'targetDim'>,
  split: Split,
  indices: ArrayLike<number>,
  transform?: (x: Float32Array, shape: readonly number[]) => void,
): Batch {
  const exampleSize = data.inputShape.reduce((a, b) => a * b, 1);
  if (split.x.length !== split.n * exampleSize) {
    throw new ShapeError(`split holds ${split.x.length} input values, expected ${split.n} × ${exampleSize}`);
  }
  const b = indices.length;
  const x = new Float32Array(b * exampleSize);
  for (let i = 0; i < b; i++) {
    const k = indices[i]!;
    x.set(split.x.subarray(k * exampleSize, (k + 1) * exampleSize), i * exampleSize);
  }
  transform?.(x, [b, ...data.inputShape]);
  const xs = tf.tensor(x, [b, ...data.inputShape]);
  if (data.task === 'classification') {
    const y = new Int32Array(b);
    for (let i = 0; i < b; i++) y[i] = split.y[indices[i]!]!;
    return { x: xs, y: tf.tensor1d(y, 'int32') };
  }
  const dim = data.targetDim ?? split.y.length / split.n;
  const y = new Float32Array(b * dim);
  for (let i = 0; i < b; i++) {
    const k = indices[i]!;
    y.set(split.y.subarray(k * dim, (k + 1) * dim), i * dim);
  }
  return { x: xs, y: tf.tensor2d(y, [b, dim]) };
}
