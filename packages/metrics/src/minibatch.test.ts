import { activation, batchNorm, ConfigError, createModel, createRng, dense, gatherBatch, serial, tf, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { BATCHED_MAX_PAIRS, minibatchConfusion } from './minibatch';
import { eventLoopTurnsDuring } from './test-event-loop';

function dataset(n: number): Dataset {
  const rng = createRng('minibatch-test');
  const x = new Float32Array(n * 5);
  rng.fillNormal(x);
  const y = Int32Array.from({ length: n }, () => rng.int(3));
  return { name: 'test', inputShape: [5], task: 'classification', numClasses: 3, train: { x, y, n } };
}

describe('minibatchConfusion (Sankararaman et al. (2020), §7)', () => {
  const data = dataset(64);
  const model = createModel(serial(dense({ units: 8 }), activation('tanh'), dense({ units: 3 })), { inputShape: [5], seed: 4 });

  it('samples pairs without a shared example and measures each pair’s cosine', async () => {
    const before = tf.memory().numTensors;
    const r = await minibatchConfusion(model, data, { pairs: 6, batchSize: 8, loss: 'softmax-cross-entropy', seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.cosines.length).toBe(6);
    for (const rows of r.rows) {
      expect(rows.length).toBe(16);
      expect(new Set(rows).size).toBe(16);
    }
    // An independent computation of pair 0: each minibatch's mean-loss gradient by tf.variableGrads.
    const vars = model.parameters.map((p) => p.variable);
    const grad = (rows: Int32Array) => {
      const flat = tf.tidy(() => {
        const b = gatherBatch(data, [{ split: data.train, indices: rows }], false);
        const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(tf.oneHot(b.y as tf.Tensor1D, 3), b.x.matMul(vars[0]!).add(vars[1]!).tanh().matMul(vars[2]!).add(vars[3]!)) as tf.Scalar, vars);
        return tf.concat(vars.map((v) => tf.reshape(grads[v.name]!, [-1])));
      });
      const values = Float64Array.from(flat.dataSync());
      flat.dispose();
      return values;
    };
    const a = grad(r.rows[0]!.subarray(0, 8));
    const b = grad(r.rows[0]!.subarray(8));
    const dot = (u: Float64Array, v: Float64Array) => u.reduce((s, x, i) => s + x * v[i]!, 0);
    // Two float32 gradient computations of the same quantity: 1e-5 of a cosine is well above their rounding.
    expect(r.cosines[0]).toBeCloseTo(dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)), 5);
    expect(r.summary.min).toBe(Math.min(...r.cosines));
    expect(r.etaNormalized).toBe(Math.max(0, -r.summary.min));
  });

  it('gives the same cosines through the Gram engine’s groups and for the same seed', async () => {
    const direct = await minibatchConfusion(model, data, { pairs: 4, batchSize: 10, loss: 'softmax-cross-entropy', seed: 2 });
    const gram = await minibatchConfusion(model, data, { pairs: 4, batchSize: 10, loss: 'softmax-cross-entropy', seed: 2, method: 'gram' });
    const again = await minibatchConfusion(model, data, { pairs: 4, batchSize: 10, loss: 'softmax-cross-entropy', seed: 2 });
    expect(Array.from(again.cosines)).toEqual(Array.from(direct.cosines));
    direct.cosines.forEach((c, i) => expect(gram.cosines[i]).toBeCloseTo(c, 5));
  });

  it('gives the same pairs and products in batched passes as one pair at a time (dense, and batch norm in training mode)', async () => {
    const normed = createModel(serial(dense({ units: 8 }), batchNorm(), activation('tanh'), dense({ units: 3 })), { inputShape: [5], seed: 5 });
    // More pairs than one pass holds, so that a full pass and a short last one are both compared.
    const pairs = BATCHED_MAX_PAIRS + 3;
    for (const m of [model, normed]) {
      const state = m.readWeights();
      const before = tf.memory().numTensors;
      const batched = await minibatchConfusion(m, data, { pairs, batchSize: 8, loss: 'softmax-cross-entropy', seed: 6, method: 'batched' });
      expect(tf.memory().numTensors).toBe(before);
      const direct = await minibatchConfusion(m, data, { pairs, batchSize: 8, loss: 'softmax-cross-entropy', seed: 6 });
      expect(batched.rows.map((r) => Array.from(r))).toEqual(direct.rows.map((r) => Array.from(r)));
      // The same float32 gradients summed by batched kernels in another order: agreement to float32 rounding, scaled.
      direct.cosines.forEach((c, i) => expect(Math.abs(batched.cosines[i]! - c), `${m.name} pair ${i}`).toBeLessThan(1e-5));
      direct.inner.forEach((v, i) => expect(Math.abs(batched.inner[i]! - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
      // Measuring leaves the model (and batch norm's running statistics) as it found them.
      expect(m.readWeights()).toEqual(state);
    }
  });

  it('lets the event loop turn between pairs, so a page stays responsive while it measures', async () => {
    for (const method of ['direct', 'gram'] as const) {
      const turns = await eventLoopTurnsDuring(() => minibatchConfusion(model, data, { pairs: 5, batchSize: 8, loss: 'softmax-cross-entropy', seed: 3, method }));
      expect(turns, method).toBeGreaterThanOrEqual(5);
    }
    // Batched, between passes of at most BATCHED_MAX_PAIRS pairs.
    const turns = await eventLoopTurnsDuring(() => minibatchConfusion(model, data, { pairs: 2 * BATCHED_MAX_PAIRS + 1, batchSize: 8, loss: 'softmax-cross-entropy', seed: 3, method: 'batched' }));
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('refuses minibatches that cannot be disjoint', async () => {
    const error = await minibatchConfusion(model, data, { pairs: 1, batchSize: 33, loss: 'softmax-cross-entropy' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('batchSize');
  });
});
