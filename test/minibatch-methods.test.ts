import { activation, activeBackendTraits, createModel, createRng, dense, serial, tf, type Dataset } from '@overparam/core';
import { minibatchConfusion } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * The minibatch-pair protocol's `batched` method on the backend under test: the same pairs and
 * products as `direct`, run batched where the backend batches replica groups and as `direct`
 * where it steps them one at a time (wasm, whose batched matMul is slower than plain ones).
 */
describe(`minibatch-confusion methods (${testBackend})`, () => {
  it('`batched` measures what `direct` does, and says which method ran', async () => {
    const rng = createRng('methods');
    const n = 96;
    const x = new Float32Array(n * 6);
    rng.fillNormal(x);
    const data: Dataset = { name: 'methods', inputShape: [6], task: 'classification', numClasses: 3, train: { x, y: Int32Array.from({ length: n }, () => rng.int(3)), n } };
    const model = createModel(serial(dense({ units: 12 }), activation('tanh'), dense({ units: 3 })), { inputShape: [6], seed: 3 });
    const before = tf.memory().numTensors;
    const options = { pairs: 5, batchSize: 8, loss: 'softmax-cross-entropy' as const, seed: 2 };
    const direct = await minibatchConfusion(model, data, { ...options, method: 'direct' });
    const batched = await minibatchConfusion(model, data, { ...options, method: 'batched' });
    expect(tf.memory().numTensors).toBe(before);
    expect(batched.method).toBe(activeBackendTraits().replicaSteps === 'sequential' ? 'direct' : 'batched');
    expect(batched.rows).toEqual(direct.rows);
    // Float32 gradients summed in another order: cosines agree to ~1e-6; 1e-4 leaves room for GPU backends.
    for (let p = 0; p < options.pairs; p++) expect(Math.abs(batched.cosines[p]! - direct.cosines[p]!)).toBeLessThan(1e-4);
    model.dispose();
  });
});
