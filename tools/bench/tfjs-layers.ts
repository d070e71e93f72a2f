/**
 * The reference point: the same MLP trained the standard TensorFlow.js way, a `tf.sequential` of
 * dense layers trained by `model.fit`. It runs on whatever backend is active, since the union
 * package shares core's single tfjs-core instance.
 */
import * as tf from '@tensorflow/tfjs';
import { randomInputs, randomLabels } from './synthetic';

export interface MlpShape {
  readonly depth: number;
  readonly width: number;
  readonly inputDim: number;
  readonly numClasses: number;
}

/** Tanh hidden layers, Glorot normal weights, zero biases, softmax output, SGD: our MLP's twin. */
export function tfjsMlp(shape: MlpShape, lr: number): tf.Sequential {
  const model = tf.sequential();
  for (let i = 0; i < shape.depth; i++) {
    model.add(
      tf.layers.dense({
        units: shape.width,
        activation: 'tanh',
        kernelInitializer: 'glorotNormal',
        ...(i === 0 ? { inputShape: [shape.inputDim] } : {}),
      }),
    );
  }
  model.add(tf.layers.dense({ units: shape.numClasses, activation: 'softmax', kernelInitializer: 'glorotNormal' }));
  model.compile({ optimizer: tf.train.sgd(lr), loss: 'categoricalCrossentropy' });
  return model;
}

export interface FitData {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor2D;
  dispose(): void;
}

/** `steps × batchSize` random examples with one-hot labels, so one epoch is exactly `steps` steps. */
export function fitData(steps: number, batchSize: number, shape: MlpShape, seed = 3): FitData {
  const n = steps * batchSize;
  const x = tf.tensor2d(randomInputs(n * shape.inputDim, seed), [n, shape.inputDim]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(randomLabels(n, shape.numClasses, seed + 1), 'int32'), shape.numClasses).toFloat() as tf.Tensor2D);
  return { x, y, dispose: () => tf.dispose([x, y]) };
}

/** One epoch of `fit`; resolves once the epoch's loss has been read back as a number. */
export async function fitOnce(model: tf.Sequential, data: FitData, batchSize: number): Promise<void> {
  const history = await model.fit(data.x, data.y, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
  const loss = history.history.loss?.[0];
  if (typeof loss !== 'number' || !Number.isFinite(loss)) throw new Error(`tfjs-layers fit returned loss ${String(loss)}`);
}
