import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BatchSampler, createRng, gatherBatch, tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { wrnAugment } from './augment';
import { syntheticImages } from './synthetic-images';

/**
 * A real collection between measurements, without configuring vitest: V8 lets a running process
 * turn on --expose-gc and hand out `gc` through a fresh context. Heap numbers without it would
 * mostly measure when the collector last ran.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory(): { heap: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  // Typed-array contents live outside the JS heap: a leaked batch would show in arrayBuffers.
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

describe('memory while iterating epochs', () => {
  it('builds and disposes every batch: no tensor and no heap growth over an epoch', async () => {
    const data = syntheticImages({ n: 1280, validationN: 0, testN: 10, seed: 0 });
    const augment = wrnAugment();
    const rng = createRng(0);
    const augmentRng = rng.fork('augment');
    const sampler = new BatchSampler(data.train.n, 128, 'shuffled-epochs', rng.fork('batches'));
    const epoch = async () => {
      for (let s = 0; s < sampler.stepsPerEpoch; s++) {
        const draw = sampler.next();
        // What the training loop does per step: gather (and augment) inside a tidy, read one number.
        const value = tf.tidy(() => {
          const batch = gatherBatch(data, [{ split: data.train, indices: draw.indices, transform: (x, shape) => augment(x, shape, augmentRng) }], false);
          return tf.mean(tf.square(batch.x));
        });
        await value.data();
        value.dispose();
      }
    };
    await epoch(); // warm-up: tfjs allocates its kernels' caches on first use
    const tensors = tf.memory().numTensors;
    const before = memory();
    for (let e = 0; e < 3; e++) await epoch();
    const after = memory();
    expect(tf.memory().numTensors).toBe(tensors);
    // One batch is 128 × 3,072 floats = 1.5 MB and three epochs build 30 of them (47 MB): a leak of
    // batches would exceed these bounds many times over, while allocator noise after a full
    // collection stays well under 1 MB of heap and a couple of batches' worth of buffers.
    expect(after.heap - before.heap).toBeLessThan(2 * 1024 * 1024);
    expect(after.buffers - before.buffers).toBeLessThan(4 * 1024 * 1024);
    // The data set itself is held once: 1,280 examples as one float32 array, not copied per epoch.
    expect(data.train.x.byteLength).toBe(1280 * 3072 * 4);
  });
});
