import { ShapeError, type Shape } from '@overparam/core';

/**
 * The [height, width, channels] a convolutional net sees for one input. MNIST-format data sets
 * (mnist, fashion-mnist) come as flat vectors of s² grey levels, which are s × s single-channel
 * images; anything else must already be [h, w, c].
 */
export function imageShape(inputShape: Shape, arch: string): [number, number, number] {
  if (inputShape.length === 3) return inputShape as [number, number, number];
  const size = inputShape.reduce((a, b) => a * b, 1);
  const side = Math.round(Math.sqrt(size));
  if (inputShape.length === 1 && side * side === size) return [side, side, 1];
  throw new ShapeError(`${arch} takes images [height, width, channels] or flat square images, got [${inputShape.join(', ')}]`);
}
