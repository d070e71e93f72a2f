import { activation, batchNorm, conv2d, ConfigError, dense, dropout, globalAvgPool, reshape, residual, serial, type Layer, type Shape } from '@overparam/core';
import { imageShape } from './image-shape';

export interface WideResNetOptions {
  /** β = 6n + 4: n blocks per group, two 3×3 convs per block, plus the stem conv and the classifier. */
  readonly depth: number;
  /** ℓ: the groups have 16ℓ, 32ℓ and 64ℓ channels. */
  readonly widthFactor: number;
  /** Pre-activation batch norm before every conv and before the pooling. Off: no BN, and every conv gets a bias. Default true. */
  readonly batchNorm?: boolean;
  /** Shortcut connections around every block. Off: the paper's CNN-β-ℓ. Default true. */
  readonly skip?: boolean;
  /** [height, width, channels] of one input, or a flat square grey image ([784] for Fashion-MNIST). Default [32, 32, 3] (CIFAR). */
  readonly inputShape?: Shape;
  /** Outputs of the linear classifier. Default 10. */
  readonly classes?: number;
  /** Dropout rate between the two convs of a block, as in the WRN paper's variant. Default 0 (Sankararaman et al. (2020, appendix) turns it off). */
  readonly dropout?: number;
}

/** Why `depth` is not 6n + 4 with n ≥ 1, naming the nearest valid depths; undefined when it is. */
export function wideResNetDepthProblem(depth: number): string | undefined {
  if (Number.isInteger(depth) && depth >= 10 && (depth - 4) % 6 === 0) return undefined;
  const below = Math.floor((depth - 4) / 6) * 6 + 4;
  const nearest = below < 10 ? [10] : Number.isInteger(depth) && depth === below ? [below] : [below, below + 6];
  return `must be 6n + 4 for n ≥ 1 blocks per group (10, 16, 22, 28, …), got ${depth}; the nearest valid depth${nearest.length > 1 ? 's are' : ' is'} ${nearest.join(' and ')}`;
}

/** `WRN-16-2`, or `CNN-16-2` without skip connections. */
export function wideResNetName(options: Pick<WideResNetOptions, 'depth' | 'widthFactor' | 'skip'>): string {
  return `${options.skip === false ? 'CNN' : 'WRN'}-${options.depth}-${options.widthFactor}`;
}

/**
 * WRN-β-ℓ and CNN-β-ℓ (Sankararaman et al. (2020), appendix A.2; Zagoruyko & Komodakis 2016): a 3×3 stem conv with
 * 16 channels; three groups of n = (β − 4)/6 pre-activation blocks (BN-ReLU-conv3×3-BN-ReLU-conv3×3)
 * with 16ℓ, 32ℓ and 64ℓ channels, the first block of groups 2 and 3 with stride 2; then BN-ReLU,
 * global average pooling and a linear classifier. Every weight starts He normal (MSRA, fan-in), as
 * Sankararaman et al. (2020, appendix) says; biases start at zero.
 *
 * As in the reference code, a block whose shape changes applies its first BN-ReLU before the
 * split, and its shortcut is a 1×1 conv (with the block's stride) of that activation; a block
 * that keeps its shape adds its raw input back. Without skip connections both shortcuts go.
 */
export function wideResNet(options: WideResNetOptions): Layer {
  const problem = wideResNetDepthProblem(options.depth);
  if (problem !== undefined) throw new ConfigError('depth', problem);
  if (!Number.isInteger(options.widthFactor) || options.widthFactor < 1) throw new ConfigError('widthFactor', `must be a positive integer, got ${options.widthFactor}`);
  const useBn = options.batchNorm ?? true;
  const skip = options.skip ?? true;
  const classes = options.classes ?? 10;
  const dropRate = options.dropout ?? 0;
  const n = (options.depth - 4) / 6;

  const conv = (filters: number, kernelSize: number, stride = 1) => conv2d({ filters, kernelSize, stride, padding: 'same', bias: !useBn, init: 'he-normal' });
  const preActivation = (): Layer[] => (useBn ? [batchNorm(), activation('relu')] : [activation('relu')]);
  const block = (inC: number, outC: number, stride: number): Layer => {
    const body = (): Layer[] => [conv(outC, 3, stride), ...preActivation(), ...(dropRate > 0 ? [dropout(dropRate)] : []), conv(outC, 3)];
    if (!skip) return serial(...preActivation(), ...body());
    if (inC === outC && stride === 1) return residual(serial(...preActivation(), ...body()));
    return serial(...preActivation(), residual(serial(...body()), conv(outC, 1, stride)));
  };

  const inputShape = options.inputShape ?? [32, 32, 3];
  const layers: Layer[] = inputShape.length === 3 ? [] : [reshape(imageShape(inputShape, wideResNetName(options)))];
  layers.push(conv(16, 3));
  let channels = 16;
  [16, 32, 64].forEach((base, group) => {
    const width = base * options.widthFactor;
    for (let i = 0; i < n; i++) {
      layers.push(block(channels, width, group > 0 && i === 0 ? 2 : 1));
      channels = width;
    }
  });
  layers.push(...preActivation(), globalAvgPool(), dense({ units: classes, init: 'he-normal' }));
  return serial(...layers);
}
