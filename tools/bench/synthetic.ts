import type { Dataset } from '@overparam/core';

/**
 * Random inputs and random labels: the content is irrelevant to speed, and an in-memory set keeps
 * loading out of the measurement. A small xorshift generator keeps it free of tfjs and seeded.
 */
export function randomInputs(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296 - 0.5;
  }
  return out;
}

export function randomLabels(count: number, classes: number, seed: number): Int32Array {
  const u = randomInputs(count, seed);
  return Int32Array.from(u, (v) => Math.min(classes - 1, Math.floor((v + 0.5) * classes)));
}

export function syntheticClassification(n: number, inputDim: number, numClasses: number, seed = 1): Dataset {
  return {
    name: `synthetic-${n}x${inputDim}`,
    inputShape: [inputDim],
    task: 'classification',
    numClasses,
    train: { x: randomInputs(n * inputDim, seed), y: randomLabels(n, numClasses, seed + 1), n },
    description: 'random inputs and labels for benchmarks',
  };
}
