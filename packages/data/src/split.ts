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
