import { ShapeError } from '../errors';
import { resolveInitializer, type InitSpec } from '../init';
import { tf, type Tensor } from '../tf';
import { joinPath } from './context';
import { matMulForTraining } from './matmul';
import type { Layer, Shape } from './types';

export interface DenseOptions {
  /** Output width. */
  readonly units: number;
  /** Add a bias (initialized by `biasInit`). Default true. */
  readonly bias?: boolean;
  /** Weight initializer. Default Glorot normal. */
  readonly init?: InitSpec;
  /** Bias initializer. Default zeros. */
  readonly biasInit?: InitSpec;
  /** Marks this as the network's first weight layer (Strategy 4.1 scales it differently). */
  readonly isFirstLayer?: boolean;
  /** Leave the weights (and bias) out of training. Default false. */
  readonly frozen?: boolean;
}

/**
 * Fully connected layer `y = x·w + b` with `w` stored as [in, out] (the transpose of the
 * paper's W ∈ R^{out×in}, which saves a transpose in the forward pass). Reports a tap.
 */
export function dense(options: DenseOptions): Layer {
  const useBias = options.bias ?? true;
  const weightInit = resolveInitializer(options.init ?? 'glorot-normal');
  const biasInit = resolveInitializer(options.biasInit ?? 'zeros');
  if (!Number.isInteger(options.units) || options.units < 1) throw new ShapeError(`dense: units must be a positive integer, got ${options.units}`);
  return {
    kind: 'dense',
    options,
    init(rng, inputShape: Shape) {
      if (inputShape.length !== 1) throw new ShapeError(`dense expects a flat input, got shape [${inputShape.join(', ')}]; put flatten() before it`);
      const fanIn = inputShape[0]!;
      const ctx = { fanIn, fanOut: options.units, isFirstLayer: options.isFirstLayer ?? false };
      const params: Record<string, Tensor> = { w: tf.tensor2d(weightInit(rng.fork('w'), [fanIn, options.units], ctx), [fanIn, options.units]) };
      if (useBias) params.b = tf.tensor1d(biasInit(rng.fork('b'), [options.units], ctx));
      return { params, state: {}, outputShape: [options.units], frozen: options.frozen === true ? Object.keys(params) : [] };
    },
    apply(params, x, ctx) {
      const w = params.w as Tensor;
      const b = params.b as Tensor | undefined;
      let y = matMulForTraining(x, w);
      if (b !== undefined) y = tf.add(y, b);
      if (ctx.recorder === undefined) return y;
      const tensors: Record<string, Tensor> = b === undefined ? { w } : { w, b };
      const paramPaths: Record<string, string> = {};
      for (const key of Object.keys(tensors)) paramPaths[key] = joinPath(ctx.path, key);
      return ctx.recorder.tap({ path: ctx.path, kind: 'dense', input: x, output: y, params: tensors, paramPaths, config: { bias: b !== undefined } });
    },
  };
}
