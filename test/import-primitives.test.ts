import { avgPool2d, conv2d, createModel, dense, flatten, graph, GRAPH_INPUT, kerasActivation, serial, softmax, tf, zeroPad2d, type Layer, type Shape } from '@overparam/core';
import { modelGradientCheck } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * Finite-difference checks of the primitives the importer added to core. The parameter-free ones
 * sit between two parameterized layers, so a wrong backward pass shows in the first layer's
 * gradient. Tolerance and step sizes: modelGradientCheck's (float32 central differences).
 */
const cases: Array<[string, Layer, Shape]> = [
  ['zeroPad2d and avgPool2d', serial(conv2d({ filters: 2, kernelSize: 3 }), zeroPad2d([[1, 0], [0, 2]]), avgPool2d({ size: 2, stride: 1 }), flatten(), dense({ units: 3 })), [4, 4, 2]],
  ['avgPool2d with same padding', serial(conv2d({ filters: 2, kernelSize: 3 }), avgPool2d({ size: 3, stride: 2, padding: 'same' }), flatten(), dense({ units: 3 })), [5, 5, 1]],
  ['elu, selu, gelu', serial(dense({ units: 5 }), kerasActivation('elu'), dense({ units: 5 }), kerasActivation('selu'), dense({ units: 5 }), kerasActivation('gelu'), dense({ units: 2 })), [4]],
  ['softmax', serial(dense({ units: 4 }), softmax(), dense({ units: 2 })), [3]],
  [
    'graph with add and concat',
    graph(
      [
        { key: 'a', inputs: [GRAPH_INPUT], layer: dense({ units: 3 }) },
        { key: 'b', inputs: [GRAPH_INPUT], layer: serial(dense({ units: 3 }), kerasActivation('gelu')) },
        { key: 'sum', inputs: ['a', 'b'], merge: 'add' },
        { key: 'both', inputs: ['sum', 'a'], merge: 'concat' },
        { key: 'head', inputs: ['both'], layer: dense({ units: 2 }) },
      ],
      'head',
    ),
    [4],
  ],
];

describe(`primitives for imported models (${testBackend})`, () => {
  for (const [label, layer, inputShape] of cases) {
    it(`${label}: autodiff equals finite differences`, () => {
      const model = createModel(layer, { inputShape, seed: 3 });
      const before = tf.memory().numTensors;
      const r = modelGradientCheck(model, { perParameter: 3 });
      expect(r.scale).toBeGreaterThan(0);
      expect(r.failures).toEqual([]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }

  it('graph: the output shape of a concat, and a typed error for mismatched adds', () => {
    const g = graph(
      [
        { key: 'a', inputs: [GRAPH_INPUT], layer: dense({ units: 3 }) },
        { key: 'cat', inputs: ['a', GRAPH_INPUT], merge: 'concat' },
      ],
      'cat',
    );
    const m = createModel(g, { inputShape: [4] });
    expect(m.outputShape).toEqual([7]);
    m.dispose();
    const bad = graph(
      [
        { key: 'a', inputs: [GRAPH_INPUT], layer: dense({ units: 3 }) },
        { key: 'sum', inputs: ['a', GRAPH_INPUT], merge: 'add' },
      ],
      'sum',
    );
    const before = tf.memory().numTensors;
    expect(() => createModel(bad, { inputShape: [4] })).toThrow(/add node 'sum' needs inputs of one shape, got \[3\], \[4\]/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
