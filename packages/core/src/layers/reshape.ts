import { ShapeError } from '../errors';
import { tf } from '../tf';
import type { Layer, Shape } from './types';

/**
 * [batch, ...in] → [batch, ...shape], row-major, for inputs with as many values per example:
 * e.g. flat MNIST vectors [784] seen as images [28, 28, 1] by a convolutional net.
 */
export function reshape(shape: Shape): Layer {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    kind: 'reshape',
    options: { shape },
    init(_rng, inputShape: Shape) {
      const inSize = inputShape.reduce((a, b) => a * b, 1);
      if (inSize !== size) throw new ShapeError(`reshape: inputs of shape [${inputShape.join(', ')}] have ${inSize} values per example, [${shape.join(', ')}] needs ${size}`);
      return { params: {}, state: {}, outputShape: [...shape] };
    },
    apply(_params, x) {
      return tf.reshape(x, [x.shape[0]!, ...shape]);
    },
  };
}
