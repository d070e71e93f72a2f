import { ShapeError, type BatchTransform, type Rng } from '@overparam/core';

export interface WrnAugmentOptions {
  /** Pixels added on each side before the random crop back to the original size. Default 4. */
  readonly pad?: number;
  /** Mirror left–right with probability ½. Default true. */
  readonly flip?: boolean;
  /**
   * What the padding holds. `reflect` (default) mirrors the image at its border, as the Wide ResNet
   * paper describes its CIFAR augmentation; `zero` pads with zeros (the training-set mean, once
   * the inputs are standardized), as many re-implementations do.
   */
  readonly fill?: 'reflect' | 'zero';
}

/** Mirrors an out-of-range index back into [0, n) without repeating the edge pixel. */
function reflect(i: number, n: number): number {
  if (i < 0) return -i;
  if (i >= n) return 2 * (n - 1) - i;
  return i;
}

/**
 * The WRN training augmentation as a batch transform for core's training loop: each example of
 * the batch ([batch, height, width, channels], row-major) is padded by `pad` pixels, cropped back
 * to its size at a uniformly random offset and flipped horizontally with probability ½, all drawn
 * from the run's RNG stream, so a run seed fixes the augmentation too. Works in place, through one
 * example-sized scratch buffer.
 */
export function wrnAugment(options: WrnAugmentOptions = {}): BatchTransform {
  const pad = options.pad ?? 4;
  const flip = options.flip ?? true;
  const fill = options.fill ?? 'reflect';
  if (!Number.isInteger(pad) || pad < 0) throw new ShapeError(`augmentation padding must be a non-negative integer, got ${pad}`);
  let scratch = new Float32Array(0);
  return (x: Float32Array, shape: readonly number[], rng: Rng) => {
    if (shape.length !== 4) throw new ShapeError(`the WRN augmentation needs image batches [batch, height, width, channels], got [${shape.join(', ')}]`);
    const [b, h, w, c] = shape as [number, number, number, number];
    if (fill === 'reflect' && pad >= Math.min(h, w)) throw new ShapeError(`reflection padding of ${pad} needs images larger than ${pad} pixels, got ${h}×${w}`);
    const size = h * w * c;
    if (x.length !== b * size) throw new ShapeError(`batch holds ${x.length} values, expected ${b}×${h}×${w}×${c}`);
    if (scratch.length !== size) scratch = new Float32Array(size);
    for (let e = 0; e < b; e++) {
      const oy = rng.int(2 * pad + 1) - pad;
      const ox = rng.int(2 * pad + 1) - pad;
      const mirrored = flip && rng.uniform() < 0.5;
      const base = e * size;
      scratch.set(x.subarray(base, base + size));
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          // Output pixel (i, j) shows padded-image pixel (i + oy, j + ox), after the optional mirror.
          let si = i + oy;
          let sj = (mirrored ? w - 1 - j : j) + ox;
          const out = base + (i * w + j) * c;
          if (si < 0 || si >= h || sj < 0 || sj >= w) {
            if (fill === 'zero') {
              x.fill(0, out, out + c);
              continue;
            }
            si = reflect(si, h);
            sj = reflect(sj, w);
          }
          const src = (si * w + sj) * c;
          for (let k = 0; k < c; k++) x[out + k] = scratch[src + k]!;
        }
      }
    }
  };
}
