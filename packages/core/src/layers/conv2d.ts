import { ShapeError } from '../errors';
import { resolveInitializer, type InitSpec } from '../init';
import { tf, type Tensor } from '../tf';
import { joinPath } from './context';
import { axisGeometry, type ConvPadding } from './conv-geometry';
import { conv2dForTraining } from './conv-op';
import type { Layer, Shape } from './types';

export interface Conv2dOptions {
  /** Output channels. */
  readonly filters: number;
  /** k: the kernel is k×k. */
  readonly kernelSize: number;
  /** Default 1. */
  readonly stride?: number;
  /** TensorFlow's 'same' (output ⌈size/stride⌉, the odd padding row after) or 'valid'. Default 'same'. */
  readonly padding?: ConvPadding;
  /** Add a per-channel bias. Default true. */
  readonly bias?: boolean;
  /** Weight initializer; fan-in is k·k·inC, fan-out k·k·outC. Default He normal. */
  readonly init?: InitSpec;
  /** Bias initializer. Default zeros. */
  readonly biasInit?: InitSpec;
  /** Marks this as the network's first weight layer (Strategy 4.1 scales it differently). */
  readonly isFirstLayer?: boolean;
  /** Leave the kernel (and bias) out of training. Default false. */
  readonly frozen?: boolean;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new ShapeError(`conv2d: ${name} must be a positive integer, got ${v}`);
}

/**
 * 2-D convolution on NHWC inputs [batch, height, width, channels] with a kernel `w` of shape
 * [k, k, inC, outC] and an optional bias `b` [outC]. Reports a tap whose config carries the
 * kernel size, stride and padding, which is what a metric needs to unfold the input.
 */
export function conv2d(options: Conv2dOptions): Layer {
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 'same';
  const useBias = options.bias ?? true;
  positiveInt('filters', options.filters);
  positiveInt('kernelSize', options.kernelSize);
  positiveInt('stride', stride);
  if (padding !== 'same' && padding !== 'valid') throw new ShapeError(`conv2d: padding must be 'same' or 'valid', got ${JSON.stringify(padding)}`);
  const weightInit = resolveInitializer(options.init ?? 'he-normal');
  const biasInit = resolveInitializer(options.biasInit ?? 'zeros');
  const k = options.kernelSize;
  const config = { kernelSize: k, stride, padding, bias: useBias };
  return {
    kind: 'conv2d',
    options,
    init(rng, inputShape: Shape) {
      if (inputShape.length !== 3) throw new ShapeError(`conv2d expects inputs of shape [height, width, channels], got [${inputShape.join(', ')}]`);
      const [h, w, inC] = inputShape as [number, number, number];
      const outShape = [axisGeometry(h, k, stride, padding).out, axisGeometry(w, k, stride, padding).out, options.filters];
      const kernelShape = [k, k, inC, options.filters];
      const ctx = { fanIn: k * k * inC, fanOut: k * k * options.filters, isFirstLayer: options.isFirstLayer ?? false };
      const params: Record<string, Tensor> = { w: tf.tensor4d(weightInit(rng.fork('w'), kernelShape, ctx), kernelShape as [number, number, number, number]) };
      if (useBias) params.b = tf.tensor1d(biasInit(rng.fork('b'), [options.filters], ctx));
      return { params, state: {}, outputShape: outShape, frozen: options.frozen === true ? Object.keys(params) : [] };
    },
    apply(params, x, ctx) {
      const w = params.w as Tensor;
      const b = params.b as Tensor | undefined;
      let y = conv2dForTraining(x, w, stride, padding);
      if (b !== undefined) y = tf.add(y, b);
      if (ctx.recorder === undefined) return y;
      const tensors: Record<string, Tensor> = b === undefined ? { w } : { w, b };
      const paramPaths: Record<string, string> = {};
      for (const key of Object.keys(tensors)) paramPaths[key] = joinPath(ctx.path, key);
      return ctx.recorder.tap({ path: ctx.path, kind: 'conv2d', input: x, output: y, params: tensors, paramPaths, config });
    },
  };
}
