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

/** One member's part of a stacked batch: the rows `indices` of `split`, edited by `transform` if given. */
export interface BatchPart {
  readonly split: Split;
  readonly indices: ArrayLike<number>;
  readonly transform?: (x: Float32Array, shape: readonly number[]) => void;
}

/**
 * Copies the rows of each part (`indices` of its `split`, edited by its `transform` if given, so
 * the data set itself never changes) into one array each for inputs and targets, uploaded once;
 * the caller disposes the tensors. A solo run's batch is a list of one with `stacked` false:
 * `[B, ...]`; a replica group's is `stacked`: `[parts, B, ...]`, equal batch sizes (a group of
 * one stays stacked). `stacked` false with several parts gives their rows one after another.
 */
export function gatherBatch(data: Pick<Dataset, 'inputShape' | 'task' | 'targetDim'>, parts: readonly BatchPart[], stacked: boolean): Batch {
  const { x, y, dim } = copyRows(data, parts);
  const lead = stacked ? [parts.length, parts[0]!.indices.length] : [parts.length * parts[0]!.indices.length];
  return { x: tf.tensor(x, [...lead, ...data.inputShape]), y: data.task === 'classification' ? tf.tensor(y, lead, 'int32') : tf.tensor(y, [...lead, dim]) };
}

/** The parts' rows, one after another, as plain arrays (each part's inputs transformed in its own view). */
function copyRows(data: Pick<Dataset, 'inputShape' | 'task' | 'targetDim'>, parts: readonly BatchPart[]): { x: Float32Array; y: Int32Array | Float32Array; dim: number } {
  const exampleSize = data.inputShape.reduce((a, b) => a * b, 1);
  const b = parts[0]!.indices.length;
  const first = parts[0]!.split;
  const dim = data.task === 'classification' ? 1 : (data.targetDim ?? first.y.length / first.n);
  const x = new Float32Array(parts.length * b * exampleSize);
  const y = data.task === 'classification' ? new Int32Array(parts.length * b) : new Float32Array(parts.length * b * dim);
  for (const [j, { split, indices, transform }] of parts.entries()) {
    if (split.x.length !== split.n * exampleSize) {
      throw new ShapeError(`split holds ${split.x.length} input values, expected ${split.n} × ${exampleSize}`);
    }
    if (indices.length !== b) throw new ShapeError(`stacked batches need one batch size, got ${indices.length} and ${b}`);
    const xAt = j * b * exampleSize;
    const yAt = j * b * dim;
    for (let i = 0; i < b; i++) {
      const k = indices[i]!;
      x.set(split.x.subarray(k * exampleSize, (k + 1) * exampleSize), xAt + i * exampleSize);
      if (data.task === 'classification') y[yAt + i] = split.y[k]!;
      else y.set(split.y.subarray(k * dim, (k + 1) * dim), yAt + i * dim);
    }
    transform?.(parts.length === 1 ? x : x.subarray(xAt, xAt + b * exampleSize), [b, ...data.inputShape]);
  }
  return { x, y, dim };
}
