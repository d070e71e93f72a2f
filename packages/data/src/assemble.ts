import { OverparamError, type Split } from '@overparam/core';
import { balancedPartition } from './split';

/**
 * A set of labelled examples as a file holds them: labels up front, each example copied out on
 * demand. Splits are built straight from it into float32, so the raw bytes and the training arrays
 * never both sit in memory as float copies: a data set is held once.
 */
export interface ExamplePool {
  readonly n: number;
  readonly labels: ArrayLike<number>;
  /** Writes example k as `exampleSize` floats into `out` at `at`. */
  copy(k: number, out: Float32Array, at: number): void;
}

/** How a data set's official train/test files become train/validation/test splits. */
export interface SplitSpec {
  /**
   * `paper` (default): the papers' 40,000 / 10,000 / 10,000 — train and validation carved from the
   * official training files, class-balanced, in file order; test is the official test file.
   * `official`: every official training example in train, the official test file in test.
   */
  readonly split?: 'paper' | 'official';
  /** Sizes of the paper split's train and validation parts (defaults 40,000 and 10,000). */
  readonly trainSize?: number;
  readonly validationSize?: number;
  /**
   * Test on this many examples of the official test file, class-balanced and in file order
   * (default all): evaluating a conv net on 10,000 images dominates a laptop-sized run.
   */
  readonly testSize?: number;
}

export function buildSplit(pool: ExamplePool, exampleSize: number, indices?: ArrayLike<number>): Split {
  const n = indices === undefined ? pool.n : indices.length;
  const x = new Float32Array(n * exampleSize);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = indices === undefined ? i : indices[i]!;
    pool.copy(k, x, i * exampleSize);
    y[i] = pool.labels[k]!;
  }
  return { x, y, n };
}

export function splitPools(trainPool: ExamplePool, testPool: ExamplePool, classes: number, exampleSize: number, spec: SplitSpec): { train: Split; validation?: Split; test: Split } {
  const test = buildSplit(testPool, exampleSize, spec.testSize === undefined ? undefined : balancedPartition(testPool.labels, classes, [spec.testSize], undefined, 'dataOptions.testSize')[0]);
  if ((spec.split ?? 'paper') === 'official') return { train: buildSplit(trainPool, exampleSize), test };
  const sizes = [spec.trainSize ?? 40_000, spec.validationSize ?? 10_000];
  // The sizes are usually the defaults, never typed: files too small for them are what to report
  // (a truncated download), with the options that would fit them.
  if (trainPool.n < sizes[0]! + sizes[1]!) {
    throw new OverparamError(
      'DATA_CORRUPT',
      `the training files hold ${trainPool.n} examples, too few for the paper split's trainSize ${sizes[0]} + validationSize ${sizes[1]}; check the files are complete, or set the data options split=official, or smaller trainSize and validationSize`,
    );
  }
  const [trainIdx, validationIdx] = balancedPartition(trainPool.labels, classes, sizes, undefined, 'dataOptions.split');
  return { train: buildSplit(trainPool, exampleSize, trainIdx), validation: buildSplit(trainPool, exampleSize, validationIdx), test };
}
