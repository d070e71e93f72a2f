import { activation, conv2d, dense, dropout, flatten, maxPool2d, reshape, serial, type Layer, type Shape } from '@overparam/core';
import { z } from 'zod';
import { imageShape } from './image-shape';
import type { ArchitectureEntry, DataShape } from './architecture-entry';
import { convParams, denseChainParams } from './param-count';

export interface MnistConvnetOptions {
  /** One input as the data set gives it: [height, width, channels], or a flat square image ([784]). */
  readonly inputShape: Shape;
  readonly classes: number;
  /** Filters of the two 5×5 convolutions. Default 32 and 64. */
  readonly conv1Filters?: number;
  readonly conv2Filters?: number;
  /** Units of the hidden dense layer. Default 512. */
  readonly hidden?: number;
  /** Dropout before the output layer in training mode (the tutorial keeps each unit with probability 0.5). Default 0.5. */
  readonly dropout?: number;
  /** Std of the truncated-normal weight init. Default 0.1. */
  readonly initStd?: number;
}

/**
 * The convolutional network of TensorFlow's MNIST tutorial (tensorflow/models,
 * tutorials/image/mnist/convolutional.py), which Arora et al. (2018), §8 overparameterizes (figure 5 right,
 * appendix C.2): conv 5×5×32 ('same', ReLU) → 2×2 max-pool → conv 5×5×64 ('same', ReLU) → 2×2
 * max-pool → dense 3136 → 512 (ReLU) → dropout → dense 512 → 10. Weights are drawn from a normal
 * truncated at 2σ with σ = 0.1 (tf.truncated_normal(stddev=0.1)); biases are 0 for the first
 * convolution and 0.1 for the rest, as in the tutorial. 1,663,370 parameters at 28×28×1.
 *
 * The rest of the tutorial's recipe belongs to the run, not the network: momentum SGD (0.9),
 * batch 64, the rate 0.01·0.95^epoch (the `exponential` schedule, staircase), and an L2 penalty
 * 5e-4·½‖·‖² on the two dense layers' weights and biases only.
 */
export function mnistConvnet(options: MnistConvnetOptions): Layer {
  const image = imageShape(options.inputShape, 'mnist-convnet');
  const init = { name: 'truncated-normal', std: options.initStd ?? 0.1 } as const;
  const bias = { name: 'constant', value: 0.1 } as const;
  const layers: Layer[] = [];
  if (options.inputShape.length !== 3) layers.push(reshape(image));
  layers.push(
    conv2d({ filters: options.conv1Filters ?? 32, kernelSize: 5, padding: 'same', init, isFirstLayer: true }),
    activation('relu'),
    maxPool2d({ size: 2, stride: 2, padding: 'same' }),
    conv2d({ filters: options.conv2Filters ?? 64, kernelSize: 5, padding: 'same', init, biasInit: bias }),
    activation('relu'),
    maxPool2d({ size: 2, stride: 2, padding: 'same' }),
    flatten(),
    dense({ units: options.hidden ?? 512, init, biasInit: bias }),
    activation('relu'),
    dropout(options.dropout ?? 0.5),
    dense({ units: options.classes, init, biasInit: bias }),
  );
  return serial(...layers);
}

export function mnistConvnetName(options: Pick<MnistConvnetOptions, 'conv1Filters' | 'conv2Filters' | 'hidden'>): string {
  return `TF-MNIST-CNN-${options.conv1Filters ?? 32}-${options.conv2Filters ?? 64}-${options.hidden ?? 512}`;
}

const positiveInt = z.number().int().min(1);

const mnistConvnetSchema = z
  .strictObject({
    inputShape: z.array(positiveInt).min(1).max(3).default([28, 28, 1]).describe('one input: [height, width, channels], or a flat square image such as [784]'),
    classes: positiveInt.default(10).describe('outputs of the last dense layer'),
    conv1Filters: positiveInt.default(32).describe('filters of the first 5×5 convolution'),
    conv2Filters: positiveInt.default(64).describe('filters of the second 5×5 convolution'),
    hidden: positiveInt.default(512).describe('units of the hidden dense layer'),
    dropout: z.number().min(0).lt(1).default(0.5).describe('dropout rate before the output layer (the tutorial: 0.5)'),
    initStd: z.number().positive().default(0.1).describe('std of the truncated-normal weights (the tutorial: 0.1)'),
  })
  .superRefine((o, ctx) => {
    try {
      imageShape(o.inputShape, 'mnist-convnet');
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['inputShape'], message: (e as Error).message });
    }
  });

export const mnistConvnetEntry: ArchitectureEntry<z.infer<typeof mnistConvnetSchema>> = {
  name: 'mnist-convnet',
  description: "TensorFlow's MNIST tutorial convnet (Arora et al. (2018), §8, fig. 5 right): two 5×5 convs with 2×2 max-pooling, dense 3136→512→10, dropout 0.5, truncated-normal σ = 0.1",
  schema: mnistConvnetSchema,
  displayName: mnistConvnetName,
  build: (o) => ({ layer: mnistConvnet(o), inputShape: o.inputShape }),
  fromData: (data: DataShape) => ({ inputShape: [...data.inputShape], classes: data.outputDim }),
  defaultData: { inputShape: [28, 28, 1], outputDim: 10 },
  workload: () => ({ convolutional: true }),
  paramCount: (o) => {
    const [height, width, channels] = imageShape(o.inputShape, 'mnist-convnet');
    // Two 2×2 'same' pools halve each side, rounding up.
    const pooled = Math.ceil(Math.ceil(height / 2) / 2) * Math.ceil(Math.ceil(width / 2) / 2);
    return convParams(5, channels, o.conv1Filters, true) + convParams(5, o.conv1Filters, o.conv2Filters, true) + denseChainParams([pooled * o.conv2Filters, o.hidden, o.classes], true);
  },
  // 8×8 → 4×4 → 2×2: both pools, both convs and both dense layers, ~600 parameters. O(1) weights
  // for the finite-difference check; no dropout, whose training-mode mask would make it random.
  tiny: { inputShape: [8, 8, 1], classes: 3, conv1Filters: 2, conv2Filters: 3, hidden: 4, dropout: 0, initStd: 0.5 },
};
