import { ConfigError, createRng, tf, type Tensor } from '@overparam/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ModelImportError } from './import-errors';
import { importLayersModel } from './import-model';
import { importedArchitecture } from './imported-entry';
import { architectureWorkload, buildModel, getArchitecture, registerArchitecture } from './registry';

function randomInput(shape: readonly number[], seed: number): Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).fillNormal(values);
  return tf.tensor(values, [...shape]);
}

/** A small functional CNN with batch norm (weights and running statistics) and a residual Add. */
function resCnn(): tfl.LayersModel {
  const input = tfl.input({ shape: [5, 5, 2] });
  const stem = tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
  const bn = tfl.layers.batchNormalization().apply(stem) as tfl.SymbolicTensor;
  const sum = tfl.layers.add().apply([bn, stem]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 4 }).apply(tfl.layers.flatten().apply(sum)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out, name: 'res-cnn' });
  // Running statistics away from their (0, 1) start, so a build that drew fresh state would differ.
  const bnLayer = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
  bnLayer.setWeights(bnLayer.getWeights().map((w, i) => tf.fill(w.shape, [1.5, -0.5, 0.3, 2][i]!)));
  return model;
}

describe('importedArchitecture', () => {
  it('builds, by name and whatever the seed, a model starting at the import’s weights and apart from it', () => {
    const source = resCnn();
    const imported = importLayersModel(source);
    source.dispose();
    registerArchitecture(importedArchitecture('uploaded:res-cnn', imported));
    const before = tf.memory().numTensors;
    const a = buildModel('uploaded:res-cnn', { inputShape: [5, 5, 2], outputDim: 4 }, 1);
    const b = buildModel('uploaded:res-cnn', { inputShape: [5, 5, 2], outputDim: 4 }, 2);
    expect(a.name).toBe('res-cnn');
    expect(a.paramCount).toBe(imported.paramCount);
    expect(getArchitecture('uploaded:res-cnn').paramCount!({ inputShape: [5, 5, 2], outputDim: 4 })).toBe(imported.paramCount);
    expect(architectureWorkload('uploaded:res-cnn', { inputShape: [5, 5, 2], outputDim: 4 })).toEqual({ convolutional: true });
    const x = randomInput([3, 5, 5, 2], 4);
    const [ya, yb, yi] = [a, b, imported].map((m) => tf.tidy(() => m.apply(x)));
    // The same weights through the same layer functions: bit for bit.
    expect(ya!.dataSync()).toEqual(yi!.dataSync());
    expect(yb!.dataSync()).toEqual(yi!.dataSync());
    // Its own variables: changing a build's weights leaves the import (and the next build) as they were.
    a.writeWeights(a.readWeights().map((w) => ({ ...w, values: w.values.map((v) => v + 1) })));
    expect(imported.readWeights()).toEqual(b.readWeights());
    tf.dispose([x, ya!, yb!, yi!]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    imported.dispose();
  });

  it('names a data set that does not fit, and refuses a generic-path import', () => {
    const source = tfl.sequential({ name: 'mlp', layers: [tfl.layers.dense({ units: 3, inputShape: [6] })] });
    const imported = importLayersModel(source);
    source.dispose();
    registerArchitecture(importedArchitecture('uploaded:mlp', imported));
    expect(architectureWorkload('uploaded:mlp', { inputShape: [6], outputDim: 3 })).toEqual({ convolutional: false });
    expect(() => buildModel('uploaded:mlp', { inputShape: [784], outputDim: 3 })).toThrow(ConfigError);
    expect(() => buildModel('uploaded:mlp', { inputShape: [784], outputDim: 3 })).toThrow('inputShape: mlp takes inputs of shape [6], the data set has examples of shape [784]; give a model whose input is [784]');
    expect(() => buildModel('uploaded:mlp', { inputShape: [6], outputDim: 10 })).toThrow('outputDim: mlp outputs 3 units, the data set needs 10 outputs; give a model whose last layer has 10 units');
    imported.dispose();

    const rnn = tfl.sequential({ name: 'rnn', layers: [tfl.layers.lstm({ units: 2, inputShape: [3, 2], name: 'memory' })] });
    const generic = importLayersModel(rnn);
    expect(() => importedArchitecture('uploaded:rnn', generic)).toThrow(ModelImportError);
    expect(() => importedArchitecture('uploaded:rnn', generic)).toThrow('rnn takes the generic path (memory (LSTM): class LSTM has no core primitive), which cannot be offered as an architecture; train it from its file (overparam train --model FILE)');
    generic.dispose();
  });
});
