import { ConfigError, type Rng, type Split } from '@overparam/core';

/** Which example of which class sits at each position of a split. */
export interface SplitPlan {
  readonly label: Int32Array;
  /** Position of the example within its class, in the order the source stores that class. */
  readonly index: Int32Array;
}

/**
 * A stratified train/test split that involves no randomness: for every class the first
 * `floor(count · trainFraction)` examples go to train and the rest to test. Each split then takes
 * one example of each class in turn, so a prefix of it (a small-n experiment, an unshuffled batch)
 * still covers the classes evenly, and the order is the same on every machine.
 */
export function stratifiedSplitPlan(counts: readonly number[], trainFraction: number): { train: SplitPlan; test: SplitPlan } {
  if (!(trainFraction >= 0 && trainFraction <= 1)) throw new RangeError(`trainFraction must lie in [0, 1], got ${trainFraction}`);
  const cut = counts.map((c) => Math.floor(c * trainFraction));
  return {
    train: interleave(counts.map((_, k) => [0, cut[k]!] as const)),
    test: interleave(counts.map((c, k) => [cut[k]!, c] as const)),
  };
}

function interleave(ranges: readonly (readonly [number, number])[]): SplitPlan {
  const total = ranges.reduce((s, [a, b]) => s + (b - a), 0);
  const label = new Int32Array(total);
  const index = new Int32Array(total);
  const longest = ranges.reduce((m, [a, b]) => Math.max(m, b - a), 0);
  let p = 0;
  for (let round = 0; round < longest; round++) {
    for (let k = 0; k < ranges.length; k++) {
      const [start, end] = ranges[k]!;
      if (start + round < end) {
        label[p] = k;
        index[p] = start + round;
        p++;
      }
    }
  }
  return { label, index };
}

/**
 * Picks `sizes[p]` examples for each part p, class-balanced: every part takes ⌊size / classes⌋
 * examples of each class (the first `size mod classes` classes one more), consecutively in the
 * source's order of that class (or in an order shuffled by `rng`), and parts never share an
 * example. Returns source indices per part, classes interleaved as in `stratifiedSplitPlan`.
 * This is how the papers' 40,000 / 10,000 train/validation split is carved from the 50,000 CIFAR
 * (or 60,000 MNIST) training images, and how laptop-scale subsets are drawn.
 */
export function balancedPartition(labels: ArrayLike<number>, classes: number, sizes: readonly number[], rng?: Rng, field = 'split'): Int32Array[] {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]!]!.push(i);
  if (rng !== undefined) {
    for (const members of byClass) {
      const p = rng.permutation(members.length);
      const copy = members.slice();
      for (let i = 0; i < p.length; i++) members[i] = copy[p[i]!]!;
    }
  }
  const taken = new Array<number>(classes).fill(0);
  return sizes.map((size) => {
    if (!Number.isInteger(size) || size < 0) throw new ConfigError(field, `sizes must be non-negative integers, got ${size}`);
    const quota = Array.from({ length: classes }, (_, k) => Math.floor(size / classes) + (k < size % classes ? 1 : 0));
    quota.forEach((q, k) => {
      if (taken[k]! + q > byClass[k]!.length) {
        throw new ConfigError(field, `class ${k} has ${byClass[k]!.length} examples, too few for ${q} more after ${taken[k]} already taken (parts of sizes ${sizes.join(', ')}); ask for fewer`);
      }
    });
    const ranges = quota.map((q, k) => [taken[k]!, taken[k]! + q] as const);
    const plan = interleave(ranges);
    quota.forEach((q, k) => (taken[k]! += q));
    const out = new Int32Array(size);
    for (let i = 0; i < size; i++) out[i] = byClass[plan.label[i]!]![plan.index[i]!]!;
    return out;
  });
}

/** The examples of `split` at `indices`, copied into a new split. */
export function selectExamples(split: Split, exampleSize: number, indices: ArrayLike<number>): Split {
  const n = indices.length;
  const x = new Float32Array(n * exampleSize);
  const targetSize = split.y.length / split.n;
  const y = split.y instanceof Int32Array ? new Int32Array(n * targetSize) : new Float32Array(n * targetSize);
  for (let i = 0; i < n; i++) {
    const k = indices[i]!;
    x.set(split.x.subarray(k * exampleSize, (k + 1) * exampleSize), i * exampleSize);
    y.set(split.y.subarray(k * targetSize, (k + 1) * targetSize), i * targetSize);
  }
  return { x, y, n };
}

/** A class-balanced subset of `size` examples of a classification split (see `balancedPartition`). */
export function balancedSubset(split: Split, exampleSize: number, classes: number, size: number, rng?: Rng, field = 'trainSubset'): Split {
  if (!(split.y instanceof Int32Array)) throw new ConfigError(field, 'class-balanced subsets need class labels; this split holds real targets');
  if (size > split.n) throw new ConfigError(field, `${size} exceeds the ${split.n} examples of the split`);
  return selectExamples(split, exampleSize, balancedPartition(split.y, classes, [size], rng, field)[0]!);
}
