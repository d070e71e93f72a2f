import { ConfigError, MemorySink, tf, train, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { describeArchitecture } from './describe';
import { optionsFromData } from './architecture-entry';
import { buildModel, getArchitecture, parseArchitectureOptions } from './registry';
import { wideResNet } from './wide-resnet';

/**
 * Parameter count of WRN-d-k written out from the paper's description, independently of the
 * builder: a 3×3 stem (3 → 16), per block BN(in), conv3×3(in → out), BN(out), conv3×3(out → out)
 * and a 1×1 shortcut conv where in ≠ out, then BN and the classifier (with bias). BN counts γ and
 * β; without BN every conv has a bias; without skip there is no shortcut conv.
 */
function formulaCount(depth: number, k: number, bn: boolean, skip: boolean, classes = 10, inC = 3): number {
  const n = (depth - 4) / 6;
  const conv = (i: number, o: number, size: number) => size * size * i * o + (bn ? 0 : o);
  let total = conv(inC, 16, 3);
  let channels = 16;
  for (const base of [16, 32, 64]) {
    const out = base * k;
    for (let b = 0; b < n; b++) {
      total += (bn ? 2 * channels + 2 * out : 0) + conv(channels, out, 3) + conv(out, out, 3);
      if (skip && channels !== out) total += conv(channels, out, 1);
      channels = out;
    }
  }
  return total + (bn ? 2 * channels : 0) + channels * classes + classes;
}

/**
 * Zagoruyko & Komodakis (2016), the CIFAR table of depth, width factor and parameters (millions).
 * Their reference code (github.com/szagoruyko/wide-residual-networks) has convs without bias
 * (utils.DisableBias), BN with γ and β, and a linear classifier with bias; that convention gives
 * all ten figures when rounded, and 36,479,194 exactly for WRN-28-10 on 10 classes, the count its
 * PyTorch version reports. Without the BN parameters WRN-28-10 would have 36,461,242 (also 36.5M),
 * so only the exact count tells the conventions apart.
 */
const published: ReadonlyArray<[number, number, number]> = [
  [40, 1, 0.6],
  [40, 2, 2.2],
  [40, 4, 8.9],
  [40, 8, 35.7],
  [28, 10, 36.5],
  [28, 12, 52.5],
  [22, 8, 17.2],
  [22, 10, 26.8],
  [16, 8, 11.0],
  [16, 10, 17.1],
];

describe('wideResNet', () => {
  it('has the parameter counts published with the Wide ResNet paper', () => {
    for (const [depth, k, millions] of published) {
      const d = describeArchitecture('wrn', { depth, widthFactor: k });
      expect(d.name).toBe(`WRN-${depth}-${k}`);
      expect(d.paramCount).toBe(formulaCount(depth, k, true, true));
      expect(Math.round(d.paramCount / 1e5) / 10).toBe(millions);
    }
    expect(describeArchitecture('wrn', { depth: 28, widthFactor: 10 }).paramCount).toBe(36_479_194);
  });

  it('counts every combination of batch norm and skip connections at several depths', () => {
    for (const depth of [10, 16, 22]) {
      for (const k of [1, 2]) {
        for (const bn of [true, false]) {
          for (const skip of [true, false]) {
            const d = describeArchitecture('wrn', { depth, widthFactor: k, batchNorm: bn, skip, classes: 7, inputShape: [16, 16, 1] });
            expect(d.paramCount).toBe(formulaCount(depth, k, bn, skip, 7, 1));
            expect(d.name).toBe(`${skip ? 'WRN' : 'CNN'}-${depth}-${k}`);
            expect(d.outputShape).toEqual([7]);
          }
        }
      }
    }
    // `cnn` is `wrn` without skip connections.
    expect(describeArchitecture('cnn', { depth: 16, widthFactor: 2 }).paramCount).toBe(formulaCount(16, 2, true, false));
  });

  it('gives every conv a bias and no γ/β without batch norm, and drops every shortcut without skip', () => {
    const paths = (options: object) => describeArchitecture('wrn', { depth: 16, widthFactor: 1, ...options }).parameters.map((p) => p.path);
    const noBn = paths({ batchNorm: false });
    const kernels = noBn.filter((p) => p.endsWith('.w') && !p.startsWith('9.'));
    // The stem, two 3×3 convs in each of 6 blocks and two 1×1 shortcuts: with the classifier, the 16 of WRN-16.
    expect(kernels).toHaveLength(1 + 12 + 2);
    expect(kernels.every((w) => noBn.includes(w.replace(/\.w$/, '.b')))).toBe(true);
    expect(noBn.some((p) => p.endsWith('gamma') || p.endsWith('beta'))).toBe(false);
    const withBn = paths({});
    expect(withBn.filter((p) => p.endsWith('.b'))).toEqual(['10.b']); // only the classifier
    expect(withBn.filter((p) => p.endsWith('gamma'))).toHaveLength(2 * 6 + 1);
    expect(paths({ skip: false }).some((p) => p.includes('shortcut') || p.includes('main'))).toBe(false);
    // Blocks 3 and 5 open groups 2 and 3: BN-ReLU before the split, then residual(main, 1×1 conv).
    expect(withBn.filter((p) => p.includes('shortcut'))).toEqual(['3.2.shortcut.w', '5.2.shortcut.w']);
  });

  it('maps [batch, 8, 8, 3] to [batch, classes] in all four variants', () => {
    for (const batchNorm of [true, false]) {
      for (const skip of [true, false]) {
        const model = buildModel('wrn', { depth: 10, widthFactor: 1, batchNorm, skip, inputShape: [8, 8, 3], classes: 5 }, 0);
        const shape = tf.tidy(() => model.apply(tf.ones([2, 8, 8, 3]), { training: true }).shape);
        expect(shape).toEqual([2, 5]);
        model.dispose();
      }
    }
  });

  it('trains with dropout between the convs, its masks seeded by the run', async () => {
    const n = 8;
    const x = Float32Array.from({ length: n * 4 * 4 * 3 }, (_, i) => Math.sin(i));
    const data: Dataset = { name: 'tiny-images', inputShape: [4, 4, 3], task: 'classification', numClasses: 3, train: { x, y: Int32Array.from({ length: n }, (_, i) => i % 3), n } };
    const losses = async (seed: number) => {
      const model = buildModel('wrn', { depth: 10, widthFactor: 1, inputShape: [4, 4, 3], classes: 3, dropout: 0.5 }, 0);
      const sink = new MemorySink();
      await train(model, data, { steps: 3, batchSize: 4, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.01 }, seed, logEvery: 1 }, { sinks: [sink] });
      model.dispose();
      return sink.ofKind('train').map((r) => r.loss as number);
    };
    const a = await losses(1);
    expect(await losses(1)).toEqual(a);
    expect(await losses(2)).not.toEqual(a);
    // Evaluation mode is deterministic without any source of randomness.
    const model = buildModel('wrn', { depth: 10, widthFactor: 1, inputShape: [4, 4, 3], classes: 3, dropout: 0.5 }, 0);
    const input = tf.tensor4d(x.slice(0, 2 * 48), [2, 4, 4, 3]);
    const once = tf.tidy(() => Array.from(model.apply(input).dataSync()));
    expect(tf.tidy(() => Array.from(model.apply(input).dataSync()))).toEqual(once);
    expect(() => tf.tidy(() => model.apply(input, { training: true }))).toThrow(/rng/);
    input.dispose();
    model.dispose();
  });

  it('rejects a depth that is not 6n + 4, naming the nearest valid depths', () => {
    const err = (options: object) => {
      try {
        parseArchitectureOptions('wrn', { widthFactor: 2, ...options });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    expect(err({ depth: 20 })).toBeInstanceOf(ConfigError);
    expect(err({ depth: 20 }).field).toBe('depth');
    expect(err({ depth: 20 }).code).toBe('CONFIG_INVALID');
    expect(err({ depth: 20 }).message).toMatch(/nearest valid depths are 16 and 22/);
    expect(err({ depth: 4 }).message).toMatch(/nearest valid depth is 10/);
    expect(() => wideResNet({ depth: 27, widthFactor: 1 })).toThrow(/22 and 28/);
    expect(() => buildModel('cnn', { depth: 12, widthFactor: 1 })).toThrow(ConfigError);
  });

  it('takes its input shape and classes from a data set, and refuses flat data that is not a square image', () => {
    expect(optionsFromData(getArchitecture('wrn'), { inputShape: [28, 28, 1], outputDim: 10 })).toEqual({ inputShape: [28, 28, 1], classes: 10 });
    expect(() => parseArchitectureOptions('wrn', { depth: 10, widthFactor: 1, inputShape: [780] })).toThrow(/height, width, channels/);
    expect(() => parseArchitectureOptions('cnn', { depth: 10, widthFactor: 1, inputShape: [8, 98] })).toThrow(ConfigError);
  });

  it('sees a flat square input (MNIST-format data) as a one-channel image: the same net as on [h, w, 1]', () => {
    for (const arch of ['wrn', 'cnn']) {
      const options = { depth: 10, widthFactor: 1, batchNorm: false, classes: 3 };
      const flat = buildModel(arch, { ...options, inputShape: [36] }, 7);
      const image = buildModel(arch, { ...options, inputShape: [6, 6, 1] }, 7);
      expect(flat.paramCount).toBe(image.paramCount);
      // The flat net has a reshape in front (its parameter paths shift by one): give it the image net's weights, in layer order.
      const weights = image.readWeights();
      flat.writeWeights(flat.readWeights().map((w, i) => ({ ...w, values: weights[i]!.values })));
      const x = Float32Array.from({ length: 2 * 36 }, (_, i) => Math.cos(i));
      const before = tf.memory().numTensors;
      const [a, b] = tf.tidy(() => [Array.from(flat.apply(tf.tensor2d(x, [2, 36])).dataSync()), Array.from(image.apply(tf.tensor4d(x, [2, 6, 6, 1])).dataSync())]);
      expect(tf.memory().numTensors).toBe(before);
      expect(a).toEqual(b);
      flat.dispose();
      image.dispose();
    }
  });
});
