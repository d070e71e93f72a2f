import { tf } from '@overparam/core';

/** Runs `fn` and returns how many more tensors are alive afterwards than before. */
export async function tensorGrowth(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
