import { architectureNames, buildModel } from '@overparam/architectures';
import { tf, type LossName, type Model, type Tensor } from '@overparam/core';
import { gradientGram, type GramOptions } from '@overparam/metrics';
import { maxRelativeError } from '@overparam/testing';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * The Gram engine's fast path against its per-example loop (the reference: one tf.variableGrads
 * per example, inner products in float64), on every registered architecture, on each backend.
 *
 * Tolerance: the 1e-4 of the largest entry. Both sides differentiate the same float32
 * network; they differ by the rounding of differently ordered sums (the fast path's products run
 * in float32 on wasm: ~d·2⁻²⁴ ≈ 5e-6 relative at worst for the widths here), while a missing or
 * doubled term (a layer, a bias, a skip branch) is an O(1) error in some entry.
 */
const TOL = 1e-4;

interface Case {
  readonly label: string;
  readonly arch: string;
  readonly options: Record<string, unknown>;
  readonly loss: LossName;
  /** Per-example settings to compare (e.g. batch-norm in evaluation mode). */
  readonly gram?: Partial<GramOptions>;
}

/**
 * One row per registered architecture (and per batch-norm mode that matters). A newly registered
 * architecture fails the coverage test below until it has a row here.
 */
const cases: readonly Case[] = [
  { label: 'MLP-2-8 (tanh)', arch: 'mlp', options: { depth: 2, width: 8, inputDim: 6, outputDim: 3 }, loss: 'softmax-cross-entropy' },
  { label: 'deep linear, depth 3 (orthogonal)', arch: 'deep-linear', options: { depth: 3, width: 5, inputDim: 6, outputDim: 3, init: 'orthogonal' }, loss: 'square' },
  { label: 'Du et al. MLP, H = 2, m = 16 (frozen output)', arch: 'du-mlp', options: { depth: 2, width: 16, inputDim: 6 }, loss: 'square' },
  { label: 'Du et al. ResNet, H = 3, m = 16', arch: 'du-resnet', options: { depth: 3, width: 16, inputDim: 6 }, loss: 'square' },
  // n = 1 block per group on 5×5 inputs: stride-2 'same' convs with odd sides, 1×1 shortcuts.
  { label: 'CNN-10-1 without batch norm', arch: 'cnn', options: { depth: 10, widthFactor: 1, batchNorm: false, inputShape: [5, 5, 2], classes: 3 }, loss: 'softmax-cross-entropy' },
  { label: 'WRN-10-1 without batch norm', arch: 'wrn', options: { depth: 10, widthFactor: 1, batchNorm: false, inputShape: [5, 5, 2], classes: 3 }, loss: 'softmax-cross-entropy' },
  // Max pooling between the convs, a reshape from flat inputs, dense layers after the flatten.
  { label: 'MNIST tutorial convnet, 8×8 flat inputs', arch: 'mnist-convnet', options: { inputShape: [64], classes: 3, conv1Filters: 2, conv2Filters: 3, hidden: 4, dropout: 0 }, loss: 'softmax-cross-entropy' },
  // Per-example rows in evaluation mode (running statistics); the groups row in training mode.
  { label: 'WRN-10-1 with batch norm', arch: 'wrn', options: { depth: 10, widthFactor: 1, inputShape: [5, 5, 2], classes: 3 }, loss: 'softmax-cross-entropy', gram: { training: false } },
];

const N = 6;

function inputs(model: Model, loss: LossName): { x: Tensor; y: Tensor } {
  const x = tf.randomNormal([N, ...model.inputShape], 0, 1, 'float32', 11);
  const k = model.outputShape.reduce((a, b) => a * b, 1);
  const y = loss === 'softmax-cross-entropy' ? tf.tensor1d(Array.from({ length: N }, (_, i) => i % k), 'int32') : tf.randomNormal([N, k], 0, 1, 'float32', 12);
  return { x, y };
}

describe(`gradient Gram: fast path vs per-example loop on every architecture (${testBackend})`, () => {
  it('has a row for every registered architecture', () => {
    const covered = new Set(cases.map((c) => c.arch));
    expect(architectureNames().filter((a) => !covered.has(a))).toEqual([]);
  });

  for (const c of cases) {
    it(c.label, async () => {
      const model = buildModel(c.arch, c.options, 3);
      const batch = inputs(model, c.loss);
      const before = tf.memory().numTensors;
      const settings: GramOptions[] = [
        { loss: c.loss, ...c.gram },
        { of: 'output', ...c.gram },
        { loss: c.loss, groups: [[0, 1, 2], [3, 4], [5, 0]] },
      ];
      for (const options of settings) {
        const fast = await gradientGram(model, batch, { ...options, method: 'fast' });
        const loop = await gradientGram(model, batch, { ...options, method: 'loop' });
        expect(fast.method).toBe('fast');
        expect(fast.matrix.length).toBe(loop.matrix.length);
        expect(maxRelativeError(fast.matrix, loop.matrix)).toBeLessThan(TOL);
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([batch.x, batch.y]);
      model.dispose();
    });
  }
});
