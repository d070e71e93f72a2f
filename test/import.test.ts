import { buildModel, importLayersModel } from '@overparam/architectures';
import { activeBackendTraits, gatherBatch, MemorySink, tf, train, type Dataset, type Model, type Tensor, type TrainConfig } from '@overparam/core';
import { teacherClassification } from '@overparam/data';
import { gradientGram } from '@overparam/metrics';
import { maxRelativeError, tensorGrowth } from '@overparam/testing';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * Imported TF.js Layers models against what they must equal: overparam's own MLP-3-100 (same
 * weights → same Gram, same training), the Gram engine's per-example loop on an imported
 * functional net with batch norm and a residual Add, and an independent per-example gradient
 * loop for a model that takes the generic path (an LSTM).
 */

const INPUT = 64;
const CLASSES = 10;
const data = teacherClassification({ n: 256, testN: 32, inputDim: INPUT, classes: CLASSES, seed: 2 });

/** The Keras way to write MLP-3-100: tanh hidden layers, a softmax head. */
function kerasMlp(): tfl.Sequential {
  const seq = tfl.sequential({ name: 'keras-mlp' });
  for (let i = 0; i < 3; i++) seq.add(tfl.layers.dense({ units: 100, activation: 'tanh', ...(i === 0 ? { inputShape: [INPUT] } : {}) }));
  seq.add(tfl.layers.dense({ units: CLASSES, activation: 'softmax' }));
  return seq;
}

/** Whether the active tfjs backend registers a kernel (the generic path needs tfjs's own gradient kernels). */
function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function firstRows(n: number): { x: Tensor; y: Tensor } {
  return gatherBatch(data, [{ split: data.train, indices: Int32Array.from({ length: n }, (_, i) => i) }], false);
}

describe(`imported Layers models (${testBackend})`, () => {
  it('a tf.sequential MLP with MLP-3-100’s weights has its loss Gram and its 50 training steps', async () => {
    const native = buildModel('mlp', { depth: 3, width: 100, inputDim: INPUT, outputDim: CLASSES }, 4);
    const seq = kerasMlp();
    // Keras stores kernels as [in, out], as core's dense does, in the same layer order.
    seq.setWeights(native.readWeights().map((w) => tf.tensor(w.values, [...w.shape])));
    const imported = importLayersModel(seq);
    seq.dispose();
    expect(imported.imported.droppedSoftmax).toBe(true);
    expect(imported.parameters.map((p) => p.path)).toEqual(native.parameters.map((p) => p.path));

    const batch = firstRows(32);
    const mine = await gradientGram(imported, batch, { loss: 'softmax-cross-entropy', method: 'fast' });
    const theirs = await gradientGram(native, batch, { loss: 'softmax-cross-entropy', method: 'fast' });
    tf.dispose([batch.x, batch.y]);
    // Same float32 kernels on the same values in the same order: equal up to float64 summation order (1e-6).
    expect(maxRelativeError(mine.matrix, theirs.matrix)).toBeLessThan(1e-6);

    const config: TrainConfig = { steps: 50, batchSize: 16, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.05 }, seed: 9, logEvery: 1 };
    const records = async (model: Model) => {
      const sink = new MemorySink();
      const growth = await tensorGrowth(() => train(model, data, config, { sinks: [sink] }));
      expect(growth).toBe(0);
      return sink.ofKind('train').map((r) => r.loss as number);
    };
    const a = await records(imported);
    const b = await records(native);
    expect(a).toHaveLength(50);
    a.forEach((loss, i) => expect(Math.abs(loss - b[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(b[i]!)));
    imported.dispose();
    native.dispose();
  });

  it('a functional WRN-like net with batch norm and residual Adds takes the fast path, equal to the per-example loop', async () => {
    const input = tfl.input({ shape: [8, 8, 3] });
    const conv = (filters: number, stride = 1, k = 3) => tfl.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'same', useBias: false });
    const bnRelu = (t: tfl.SymbolicTensor) => tfl.layers.activation({ activation: 'relu' }).apply(tfl.layers.batchNormalization().apply(t)) as tfl.SymbolicTensor;
    const stem = conv(4).apply(input) as tfl.SymbolicTensor;
    const a = conv(4).apply(bnRelu(conv(4).apply(bnRelu(stem)) as tfl.SymbolicTensor)) as tfl.SymbolicTensor;
    const block1 = tfl.layers.add().apply([a, stem]) as tfl.SymbolicTensor;
    const pre = bnRelu(block1);
    const b = conv(8).apply(bnRelu(conv(8, 2).apply(pre) as tfl.SymbolicTensor)) as tfl.SymbolicTensor;
    const block2 = tfl.layers.add().apply([b, conv(8, 2, 1).apply(pre) as tfl.SymbolicTensor]) as tfl.SymbolicTensor;
    const pooled = tfl.layers.globalAveragePooling2d({}).apply(bnRelu(block2)) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 5 }).apply(pooled) as tfl.SymbolicTensor;
    const source = tfl.model({ inputs: input, outputs: out, name: 'wrn-like' });
    // Non-trivial running statistics, so evaluation mode is not the identity.
    source.setWeights(source.weights.map((w, i) => (w.originalName.endsWith('moving_variance') ? tf.fill(w.shape as number[], 1.5) : w.originalName.endsWith('moving_mean') ? tf.fill(w.shape as number[], 0.1 * (i % 3)) : w.read())));
    const model = importLayersModel(source);
    const generic = importLayersModel(source, { forceGeneric: true });
    expect(model.imported.path).toBe('fast');
    const kinds = (model.layer.children ?? []).map((l) => l.kind);
    expect(kinds.filter((k) => k === 'residual')).toHaveLength(2);

    const x = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 3);
    const y = tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32');
    const before = tf.memory().numTensors;
    const fast = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', method: 'fast', perLayer: true });
    const loop = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', method: 'loop' });
    expect(tf.memory().numTensors).toBe(before);
    expect(fast.method).toBe('fast');
    // As in test/gram.test.ts: differently ordered float32 sums agree to ~1e-6; a missing layer is O(1).
    expect(maxRelativeError(fast.matrix, loop.matrix)).toBeLessThan(1e-4);
    expect(fast.layers!.map((l) => l.kind)).toContain('batchNorm');
    // Minibatch gradients (the paper's protocol): batch norm in training mode within each group.
    const groups = [
      [0, 1, 2],
      [3, 4, 5],
    ];
    const groupFast = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', groups, method: 'fast' });
    const groupLoop = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy', groups, method: 'loop' });
    expect(groupFast.training).toBe(true);
    expect(maxRelativeError(groupFast.matrix, groupLoop.matrix)).toBeLessThan(1e-4);

    // The generic path (tfjs-layers running the same model) gives the same numbers, per example
    // and per group, and measuring leaves its moving statistics as they were.
    const moving = () => source.weights.filter((w) => !w.trainable).map((w) => Array.from(w.read().dataSync()));
    const statsBefore = moving();
    if (activeBackendTraits().convGradient !== 'native') {
      // Such a backend lacks (wasm) or slows (cpu) tfjs's Conv2DBackpropFilter, which the generic path uses: it says so.
      expect(generic.imported.caveats.filter((c) => c.includes('Conv2DBackpropFilter'))).toHaveLength(6);
    }
    if (!backendHasKernel('Conv2DBackpropFilter')) {
      await expect(gradientGram(generic, { x, y }, { loss: 'softmax-cross-entropy' })).rejects.toThrow(/Conv2DBackpropFilter/);
      expect(moving()).toEqual(statsBefore);
      tf.dispose([x, y]);
      model.dispose();
      generic.dispose();
      return;
    }
    const genericExamples = await gradientGram(generic, { x, y }, { loss: 'softmax-cross-entropy' });
    const genericGroups = await gradientGram(generic, { x, y }, { loss: 'softmax-cross-entropy', groups });
    expect(genericExamples.method).toBe('loop');
    expect(maxRelativeError(genericExamples.matrix, fast.matrix)).toBeLessThan(1e-4);
    expect(maxRelativeError(genericGroups.matrix, groupFast.matrix)).toBeLessThan(1e-4);
    expect(moving()).toEqual(statsBefore);
    tf.dispose([x, y]);
    model.dispose();
    generic.dispose();
  });

  it('an LSTM model takes the generic path, says why, and its Gram equals an independent per-example loop', async () => {
    const source = tfl.sequential({ name: 'lstm-net' });
    source.add(tfl.layers.lstm({ units: 4, inputShape: [5, 3] }));
    source.add(tfl.layers.dense({ units: 3 }));
    const model = importLayersModel(source);
    expect(model.imported.path).toBe('generic');
    expect(model.imported.generic).toEqual([expect.objectContaining({ className: 'LSTM', reason: expect.stringContaining('LSTM') })]);

    const x = tf.randomNormal([5, 5, 3], 0, 1, 'float32', 8);
    const labels = [0, 1, 2, 1, 0];
    const y = tf.tensor1d(labels, 'int32');
    const before = tf.memory().numTensors;
    const gram = await gradientGram(model, { x, y }, { loss: 'softmax-cross-entropy' });
    expect(tf.memory().numTensors).toBe(before);
    expect(gram.method).toBe('loop');
    expect(gram.fallbackReason).toMatch(/not reported by any tap/);

    // The reference: tf.variableGrads of tfjs-layers' own predict-path loss, one example at a time.
    const vars = source.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads = [0, 1, 2, 3, 4].map((i) =>
      tf.tidy(() => {
        const xi = tf.slice(x, i, 1);
        const yi = tf.oneHot(tf.tensor1d([labels[i]!], 'int32'), 3);
        const { grads: g } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(yi, source.apply(xi) as Tensor) as tf.Scalar, vars);
        return tf.concat(vars.map((v) => tf.reshape(g[v.name]!, [-1]))).dataSync() as Float32Array;
      }),
    );
    const reference = new Float64Array(25);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) reference[i * 5 + j] = (grads[i] as Float32Array).reduce((s: number, v: number, k: number) => s + v * (grads[j] as Float32Array)[k]!, 0);
    // Both differentiate the same float32 graph; only the inner products' summation order differs.
    expect(maxRelativeError(gram.matrix, reference)).toBeLessThan(1e-5);

    tf.dispose([x, y]);

    // The training loop trains it through the same variables (tf.variableGrads), without leaking.
    const n = 32;
    const sequences: Dataset = {
      name: 'sequences',
      inputShape: [5, 3],
      task: 'classification',
      numClasses: 3,
      train: { n, x: Float32Array.from({ length: n * 15 }, (_, i) => Math.sin(i)), y: Int32Array.from({ length: n }, (_, i) => i % 3) },
    };
    const kernelBefore = Float32Array.from(vars[0]!.dataSync());
    const sink = new MemorySink();
    const config: TrainConfig = { steps: 20, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.5 }, seed: 1, logEvery: 1 };
    await train(model, sequences, { ...config, steps: 2 });
    const growth = await tensorGrowth(() => train(model, sequences, config, { sinks: [sink] }));
    expect(growth).toBe(0);
    const losses = sink.ofKind('train').map((r) => r.loss as number);
    expect(losses.slice(-5).reduce((s, v) => s + v, 0)).toBeLessThan(losses.slice(0, 5).reduce((s, v) => s + v, 0));
    expect(maxRelativeError(vars[0]!.dataSync(), kernelBefore)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
