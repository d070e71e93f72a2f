import { ShapeError } from '../errors';
import { tf } from '../tf';
import type { Layer, Shape } from './types';

/** Zero rows and columns around NHWC inputs: [[top, bottom], [left, right]] (Keras ZeroPadding2D). */
export function zeroPad2d(padding: readonly [readonly [number, number], readonly [number, number]]): Layer {
  const flat = padding.flat();
  if (flat.length !== 4 || flat.some((p) => !Number.isInteger(p) || p < 0)) throw new ShapeError(`zeroPad2d: padding must be [[top, bottom], [left, right]] of non-negative integers, got ${JSON.stringify(padding)}`);
  const [[top, bottom], [left, right]] = padding;
  return {
    kind: 'zeroPad2d',
    options: { padding },
    init(_rng, inputShape: Shape) {
      if (inputShape.length !== 3) throw new ShapeError(`zeroPad2d expects inputs of shape [height, width, channels], got [${inputShape.join(', ')}]`);
      const [h, w, c] = inputShape as [number, number, number];
      return { params: {}, state: {}, outputShape: [h + top + bottom, w + left + right, c] };
    },
    apply(_params, x) {
      return tf.pad(x, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ]);
    },
  };
}
