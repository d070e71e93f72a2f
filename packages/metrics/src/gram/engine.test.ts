import { activation, batchNorm, ConfigError, conv2d, createModel, dense, flatten, joinPath, serial, tf, type Layer, type Model, type Tensor } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { gradientGram } from './engine';
import { eventLoopTurnsDuring } from '../test-event-loop';
import { BatchNormTrainingError, GramUnsupportedError } from './errors';
import type { GramOptions, GramResult } from './types';

/**
 * The fast path against the per-example loop (one tf.variableGrads per example, inner products in
 * float64 JS) and against closed forms. Tolerance: the issue's 1e-4 of the largest entry. Both
 * sides start from float32 gradients of the same network, so they differ by float32 rounding of
 * differently ordered sums (we see ~1e-8 here); 1e-4 leaves room for other backends' kernels
 * while any missing or double-counted term (a layer, a bias, a replica) is O(1) of an entry.
 */
const TOL = 1e-4;

function relErr(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

async function compare(model: Model, batch: { x: Tensor; y?: Tensor }, options: GramOptions): Promise<[GramResult, GramResult]> {
  const fast = await noLeak(() => gradientGram(model, batch, { ...options, method: 'fast' }));
  const loop = await noLeak(() => gradientGram(model, batch, { ...options, method: 'loop' }));
  expect(fast.method).toBe('fast');
  expect(fast.size).toBe(loop.size);
  expect(relErr(fast.matrix, loop.matrix)).toBeLessThan(TOL);
  return [fast, loop];
}

const mlp = (frozenFirst = false) =>
  createModel(serial(dense({ units: 7, frozen: frozenFirst }), activation('tanh'), dense({ units: 5 }), activation('tanh'), dense({ units: 3 })), { inputShape: [6], seed: 1 });

describe('gradientGram: dense layers', () => {
  it('matches the closed form of a linear model with the square loss', async () => {
    // f_i = ½(w·x_i + b − y_i)², so ∇f_i = r_i (x_i, 1) and G_ij = r_i r_j (x_i·x_j + 1).
    const model = createModel(dense({ units: 1 }), { inputShape: [4], seed: 3 });
    const x = tf.randomNormal([6, 4], 0, 1, 'float32', 5);
    const y = tf.randomNormal([6, 1], 0, 1, 'float32', 6);
    const [w, b] = model.readWeights();
    const xs = x.dataSync();
    const ys = y.dataSync();
    const r = Array.from({ length: 6 }, (_, i) => [0, 1, 2, 3].reduce((s, k) => s + xs[i * 4 + k]! * w!.values[k]!, b!.values[0]!) - ys[i]!);
    const expected = new Float64Array(36);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expected[i * 6 + j] = r[i]! * r[j]! * ([0, 1, 2, 3].reduce((s, k) => s + xs[i * 4 + k]! * xs[j * 4 + k]!, 0) + 1);
    for (const method of ['fast', 'loop'] as const) {
      const g = await noLeak(() => gradientGram(model, { x, y }, { loss: 'square', method }));
      // float32 forward pass against float64 residuals: ~1e-7 relative; 1e-5 is far below any real error.
      expect(relErr(g.matrix, expected)).toBeLessThan(1e-5);
    }
    tf.dispose([x, y]);
    model.dispose();
  });

  it('agrees with the loop for losses, the NTK (trace and full), groups, and per layer', async () => {
    const model = mlp();
    const x = tf.randomNormal([9, 6], 0, 1, 'float32', 2);
    const labels = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32');
    const targets = tf.randomNormal([9, 3], 0, 1, 'float32', 4);
    const [fast, loop] = await compare(model, { x, y: labels }, { loss: 'softmax-cross-entropy', perLayer: true });
    expect(fast.layers!.map((l) => l.path)).toEqual(['0', '2', '4']);
    const sum = new Float64Array(81);
    fast.layers!.forEach((l, i) => {
      expect(relErr(l.matrix, loop.layers![i]!.matrix)).toBeLessThan(TOL);
      l.matrix.forEach((v, k) => (sum[k]! += v));
    });
    expect(relErr(sum, fast.matrix)).toBeLessThan(1e-12);
    await compare(model, { x, y: targets }, { loss: 'square' });
    const [trace] = await compare(model, { x }, { of: 'output' });
    expect(trace.size).toBe(9);
    const [full] = await compare(model, { x }, { of: 'output', outputs: 'full' });
    expect(full.size).toBe(27);
    // The trace is the sum of the full NTK's output-diagonal blocks.
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(trace.matrix[i * 9 + j]).toBeCloseTo([0, 1, 2].reduce((s, c) => s + full.matrix[(i * 3 + c) * 27 + j * 3 + c]!, 0), 6);
    // Groups of different sizes, one overlapping another.
    const [groups] = await compare(model, { x, y: labels }, { loss: 'softmax-cross-entropy', groups: [[0, 1, 2], [3, 4], [5, 6, 7, 8], [1, 5]] });
    expect(groups.size).toBe(4);
    tf.dispose([x, labels, targets]);
    model.dispose();
  });

  it('leaves frozen parameters out unless asked, and splits passes within the memory budget', async () => {
    const model = mlp(true);
    const x = tf.randomNormal([8, 6], 0, 1, 'float32', 7);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32');
    const [without] = await compare(model, { x, y }, { loss: 'softmax-cross-entropy' });
    expect(without.params).toEqual(['2.w', '2.b', '4.w', '4.b']);
    const [withFrozen] = await compare(model, { x, y }, { loss: 'softmax-cross-entropy', includeFrozen: true });
    expect(withFrozen.params).toEqual(['0.w', '0.b', '2.w', '2.b', '4.w', '4.b']);
    // The first layer adds a positive semidefinite term, so the diagonal can only grow.
    for (let i = 0; i < 8; i++) expect(withFrozen.matrix[i * 9]!).toBeGreaterThan(without.matrix[i * 9]!);
    // A budget of a few rows forces several passes and pieces; the result must not change.
    const chunked = await noLeak(() => gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', memoryBudget: 300 }));
    expect(relErr(chunked.matrix, without.matrix)).toBeLessThan(1e-6);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('lets the event loop turn between units (loop) and layers (fast), so a page stays responsive while it measures', async () => {
    const model = mlp();
    const x = tf.randomNormal([6, 6], 0, 1, 'float32', 8);
    for (const [method, pieces] of [['loop', 6], ['fast', 3]] as const) {
      const turns = await eventLoopTurnsDuring(() => noLeak(() => gradientGram(model, { x }, { of: 'output', method })));
      expect(turns, method).toBeGreaterThanOrEqual(pieces);
    }
    x.dispose();
    model.dispose();
  });
});

describe('gradientGram: conv layers (im2col per-example gradients)', () => {
  for (const cfg of [
    { stride: 1, padding: 'same' as const },
    { stride: 2, padding: 'same' as const },
    { stride: 2, padding: 'valid' as const },
  ]) {
    it(`agrees with the loop (stride ${cfg.stride}, ${cfg.padding})`, async () => {
      const layer = serial(conv2d({ filters: 4, kernelSize: 3, ...cfg }), activation('relu'), conv2d({ filters: 3, kernelSize: 3, stride: 2, bias: false }), flatten(), dense({ units: 3 }));
      // 7×6 inputs: odd and even sides, so 'same' padding is asymmetric on one axis.
      const model = createModel(layer, { inputShape: [7, 6, 2], seed: 1 });
      const x = tf.randomNormal([5, 7, 6, 2], 0, 1, 'float32', 2);
      const y = tf.tensor1d([0, 1, 2, 0, 1], 'int32');
      await compare(model, { x, y }, { loss: 'softmax-cross-entropy' });
      await compare(model, { x, y }, { loss: 'softmax-cross-entropy', memoryBudget: 200 });
      await compare(model, { x }, { of: 'output' });
      tf.dispose([x, y]);
      model.dispose();
    });
  }
});

/** A parameterized layer whose tap kind no rule knows. */
function mystery(): Layer {
  return {
    kind: 'mystery',
    init: (rng, shape) => ({ params: { v: tf.tensor1d(Float32Array.from({ length: shape[0]! }, () => 1 + 0.1 * rng.normal())) }, state: {}, outputShape: shape }),
    apply(params, x, ctx) {
      const v = params.v as Tensor;
      const y = tf.mul(x, v);
      return ctx.recorder?.tap({ path: ctx.path, kind: 'mystery', input: x, output: y, params: { v }, paramPaths: { v: joinPath(ctx.path, 'v') }, config: {} }) ?? y;
    },
  };
}

describe('gradientGram: what the fast path cannot do', () => {
  it('falls back to the loop for an unknown tap kind (auto), and refuses it (fast)', async () => {
    const model = createModel(serial(dense({ units: 4 }), mystery(), activation('tanh'), dense({ units: 2 })), { inputShape: [3], seed: 2 });
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 1, 0], 'int32');
    const auto = await noLeak(() => gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy' }));
    expect(auto.method).toBe('loop');
    expect(auto.fallbackReason).toMatch(/mystery/);
    await expect(gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', method: 'fast' })).rejects.toThrow(GramUnsupportedError);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('refuses per-example quantities with batch-norm in training mode, and names both ways out', async () => {
    const model = createModel(serial(dense({ units: 4 }), batchNorm(), activation('tanh'), dense({ units: 2 })), { inputShape: [3], seed: 2 });
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 1, 0], 'int32');
    const before = tf.memory().numTensors;
    const error = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', training: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchNormTrainingError);
    expect((error as BatchNormTrainingError).code).toBe('METRIC_UNSUPPORTED');
    expect((error as Error).message).toMatch(/training: false/);
    expect((error as Error).message).toMatch(/groups/);
    await expect(gradientGram(model, { x }, { of: 'output', training: true })).rejects.toThrow(BatchNormTrainingError);
    expect(tf.memory().numTensors).toBe(before);
    // Groups are fine in training mode (each group is one batch, coupled by its statistics), and
    // per-example quantities in evaluation mode; both agree with the loop.
    const [groups] = await compare(model, { x, y }, { loss: 'softmax-cross-entropy', groups: [[0, 1, 2], [2, 3]] });
    expect(groups.training).toBe(true);
    const [perExample] = await compare(model, { x, y }, { loss: 'softmax-cross-entropy' });
    expect(perExample.training).toBe(false);
    expect(perExample.params).toContain('1.gamma');
    tf.dispose([x, y]);
    model.dispose();
  });

  it('names the bad option', async () => {
    const model = mlp();
    const x = tf.randomNormal([3, 6]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const field = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (e instanceof ConfigError ? e.field : String(e)));
    expect(await field(gradientGram(model, { x, y }, {}))).toBe('loss');
    expect(await field(gradientGram(model, { x }, { loss: 'square' }))).toBe('y');
    expect(await field(gradientGram(model, { x, y }, { loss: 'square', groups: [[0], []] }))).toBe('groups[1]');
    expect(await field(gradientGram(model, { x, y }, { loss: 'square', groups: [[0, 3]] }))).toBe('groups[0]');
    expect(await field(gradientGram(model, { x }, { of: 'output', groups: [[0]] }))).toBe('groups');
    tf.dispose([x, y]);
    model.dispose();
  });
});
