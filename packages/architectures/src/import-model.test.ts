import { createRng, tf, type Tensor } from '@overparam/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { importLayersModel, importNotice } from './import-model';

/** Replaces every weight with seeded N(0, 0.5²) values (variances: |·| + 0.5), so nothing is at its initial value. */
function randomizeWeights(model: tfl.LayersModel, seed: number): void {
  const rng = createRng(seed);
  model.setWeights(
    model.weights.map((w) => {
      const values = new Float32Array(w.shape.reduce((a: number, b) => a * (b ?? 1), 1));
      rng.fork(w.originalName).fillNormal(values);
      const positive = w.originalName.endsWith('moving_variance');
      return tf.tensor(values.map((v) => (positive ? Math.abs(v) + 0.5 : 0.5 * v)), w.shape as number[]);
    }),
  );
}

function randomInput(shape: readonly number[], seed: number): Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).fillNormal(values);
  return tf.tensor(values, [...shape]);
}

/** max |a − b| / max |b|. */
function relativeDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!);
}

/**
 * The imported model's eval-mode output against `predict` on the same batch. Both run the same
 * float32 tfjs kernels; only the order of a few elementwise ops differs (batch-norm's affine
 * step), which moves results by a few ulps, so 1e-6 of the output's scale.
 */
function expectSameOutputs(source: tfl.LayersModel, softmaxDropped: boolean): void {
  const before = tf.memory().numTensors;
  const model = importLayersModel(source);
  expect(model.imported.path).toBe('fast');
  expect(model.imported.droppedSoftmax).toBe(softmaxDropped);
  const x = randomInput([5, ...(source.inputs[0]!.shape.slice(1) as number[])], 7);
  const expected = source.predict(x) as Tensor;
  const out = tf.tidy(() => (softmaxDropped ? tf.softmax(model.apply(x)) : model.apply(x)));
  expect(relativeDiff(out, expected)).toBeLessThan(1e-6);
  tf.dispose([x, expected, out]);
  model.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

describe('importLayersModel', () => {
  it('imports a dense net with every activation, dropout and a final softmax, dropped or kept', () => {
    const source = tfl.sequential({ name: 'acts' });
    const acts = ['tanh', 'relu', 'sigmoid', 'softplus', 'elu', 'selu', 'gelu', 'linear'] as const;
    acts.forEach((activation, i) => source.add(tfl.layers.dense({ units: 6, activation, ...(i === 0 ? { inputShape: [4] } : {}) })));
    source.add(tfl.layers.dropout({ rate: 0.3 }));
    source.add(tfl.layers.activation({ activation: 'relu' }));
    source.add(tfl.layers.dense({ units: 3, activation: 'softmax' }));
    randomizeWeights(source, 1);
    expectSameOutputs(source, true);
    const kept = importLayersModel(source, { keepSoftmax: true });
    const x = randomInput([3, 4], 2);
    const expected = source.predict(x) as Tensor;
    const out = tf.tidy(() => kept.apply(x));
    expect(relativeDiff(out, expected)).toBeLessThan(1e-6);
    expect(kept.name).toBe('acts');
    expect(importNotice(kept.imported)).toBe('acts: fast path, 11 layers as core primitives');
    const lstm = tfl.sequential({ name: 'rnn', layers: [tfl.layers.lstm({ units: 2, inputShape: [3, 2], name: 'memory' })] });
    expect(importNotice(importLayersModel(lstm).imported)).toBe('rnn: generic path (per-example metrics run one backward pass per example) because memory (LSTM): class LSTM has no core primitive');
    lstm.dispose();
    expect(kept.imported.layers.map((l) => l.className)).toEqual([...acts.map(() => 'Dense'), 'Dropout', 'Activation', 'Dense']);
    tf.dispose([x, expected, out]);
    kept.dispose();
    source.dispose();
  });

  it('imports convolutions, batch norm (running statistics), pooling, padding and reshapes', () => {
    const source = tfl.sequential({ name: 'convs' });
    source.add(tfl.layers.reshape({ targetShape: [6, 6, 2], inputShape: [72] }));
    source.add(tfl.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }));
    source.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
    source.add(tfl.layers.batchNormalization({ epsilon: 1e-3 }));
    source.add(tfl.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }));
    source.add(tfl.layers.reLU());
    source.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same' }));
    source.add(tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'valid' }));
    source.add(tfl.layers.elu());
    source.add(tfl.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'tanh' }));
    source.add(tfl.layers.flatten());
    source.add(tfl.layers.dense({ units: 4 }));
    randomizeWeights(source, 3);
    expectSameOutputs(source, false);

    const pooled = tfl.sequential({ name: 'gap' });
    pooled.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [5, 5, 3] }));
    pooled.add(tfl.layers.batchNormalization());
    pooled.add(tfl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }));
    pooled.add(tfl.layers.globalAveragePooling2d({}));
    pooled.add(tfl.layers.dense({ units: 2 }));
    pooled.add(tfl.layers.softmax());
    randomizeWeights(pooled, 4);
    expectSameOutputs(pooled, true);
    source.dispose();
    pooled.dispose();
  });

  it('freezes layers marked not trainable and lists the regularizers it does not apply', () => {
    const source = tfl.sequential({ name: 'settings' });
    source.add(tfl.layers.dense({ units: 3, inputShape: [2], trainable: false }));
    source.add(tfl.layers.dense({ units: 2, kernelRegularizer: tfl.regularizers.l2({ l2: 0.1 }), name: 'penalized' }));
    const model = importLayersModel(source);
    expect(model.parameters.map((p) => [p.path, p.trainable])).toEqual([
      ['0.w', false],
      ['0.b', false],
      ['1.w', true],
      ['1.b', true],
    ]);
    expect(model.imported.ignored).toEqual([{ layer: 'penalized', settings: ['kernelRegularizer'] }]);
    model.dispose();
    source.dispose();
  });

  it('turns a residual block into residual() and branches with a concatenation into a graph', () => {
    const input = tfl.input({ shape: [4, 4, 3] });
    const stem = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
    const a = tfl.layers.batchNormalization().apply(stem) as tfl.SymbolicTensor;
    const b = tfl.layers.activation({ activation: 'relu' }).apply(a) as tfl.SymbolicTensor;
    const c = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(b) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([c, stem]) as tfl.SymbolicTensor;
    const flat = tfl.layers.flatten().apply(sum) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 3 }).apply(flat) as tfl.SymbolicTensor;
    const res = tfl.model({ inputs: input, outputs: out, name: 'res' });
    randomizeWeights(res, 5);
    const imported = importLayersModel(res);
    expect(imported.layer.children?.map((l) => l.kind)).toEqual(['conv2d', 'residual', 'flatten', 'dense']);
    imported.dispose();
    expectSameOutputs(res, false);

    const left = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(tfl.input({ shape: [2] })) as tfl.SymbolicTensor;
    const x = left.sourceLayer.inboundNodes[0]!.inputTensors[0]! as tfl.SymbolicTensor;
    const right = tfl.layers.dense({ units: 2 }).apply(x) as tfl.SymbolicTensor;
    const joined = tfl.layers.concatenate().apply([left, right]) as tfl.SymbolicTensor;
    const head = tfl.layers.dense({ units: 2 }).apply(joined) as tfl.SymbolicTensor;
    const branched = tfl.model({ inputs: x, outputs: head, name: 'branched' });
    randomizeWeights(branched, 6);
    const g = importLayersModel(branched);
    expect(g.layer.kind).toBe('graph');
    g.dispose();
    expectSameOutputs(branched, false);
    res.dispose();
    branched.dispose();
  });
});
