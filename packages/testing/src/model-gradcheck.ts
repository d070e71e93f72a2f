import { computeLoss, createRng, tf, type Model, type Tensor } from '@overparam/core';

export interface ModelGradientCheckOptions {
  /** Coordinates drawn per trainable parameter tensor (fewer where a tensor is smaller). Default 2. */
  readonly perParameter?: number;
  /** Half-widths of the central differences tried, in order, until one agrees (see `modelGradientCheck`). */
  readonly epsilons?: readonly number[];
  /** A difference agrees when |autodiff − difference| ≤ tolerance · scale. Default 1e-2. */
  readonly tolerance?: number;
  /** Seeds the coordinate choice, the inputs and the targets. Default 0. */
  readonly seed?: number;
  /** Examples in the batch. Default 4. */
  readonly batchSize?: number;
}

export interface CoordinateCheck {
  readonly path: string;
  readonly index: number;
  readonly autodiff: number;
  /** The central difference closest to `autodiff` among the half-widths tried. */
  readonly finiteDifference: number;
  /** Every central difference taken, in the order of `epsilons` (it stops at the first that agrees). */
  readonly tried: readonly number[];
}

export interface ModelGradientCheck {
  readonly coordinates: readonly CoordinateCheck[];
  /** max |autodiff − finite difference| over the coordinates. */
  readonly maxAbsError: number;
  /** max |autodiff| over the coordinates: the scale errors are judged against. */
  readonly scale: number;
  /** maxAbsError / scale. */
  readonly relativeError: number;
  /** Coordinates where no half-width agreed. */
  readonly failures: readonly CoordinateCheck[];
  readonly loss: number;
}

/** Seeded N(0, 1) inputs [batch, ...inputShape] and square-loss targets [batch, ∏ outputShape]. */
export function randomBatch(model: Model, batchSize: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const inSize = model.inputShape.reduce((a, b) => a * b, 1);
  const outSize = model.outputShape.reduce((a, b) => a * b, 1);
  const xs = new Float32Array(batchSize * inSize);
  const ys = new Float32Array(batchSize * outSize);
  rng.fork('x').fillNormal(xs);
  rng.fork('y').fillNormal(ys);
  return { x: tf.tensor(xs, [batchSize, ...model.inputShape]), y: tf.tensor2d(ys, [batchSize, outSize]) };
}

/**
 * The training-mode square loss of `model` on a fixed batch. Dropout (if any) draws from a seed
 * that is the same on every call, so the loss is a deterministic function of the parameters.
 */
function lossOf(model: Model, x: Tensor, y: Tensor): tf.Scalar {
  const fixedMask = { seed: () => 1234 };
  const out = model.apply(x, { training: true, rng: fixedMask });
  return computeLoss('square', tf.reshape(out, [x.shape[0]!, -1]), y) as tf.Scalar;
}

/**
 * tfjs autodiff against float32 central differences of the same tfjs loss, on a random subset of
 * every trainable tensor's coordinates (training mode: batch-norm uses batch statistics).
 *
 * There is no float64 twin of an arbitrary architecture, so the differences are float32, and no
 * single half-width ε suits every coordinate of a ReLU net with batch norm over few values: the
 * loss carries rounding noise of a few ulps per evaluation, which the quotient divides by 2ε (at
 * ε = 1e-4 about 1e-3 of the largest gradient of the tiny nets here), while at a large ε the
 * truncation error of strongly curved coordinates and ReLU kinks dominate (measured on the tiny
 * WRN with 4 examples of 4×4: up to 10% of the largest gradient at ε = 1e-2, 3% at 1e-3, ≤ 0.3% at
 * 1e-4). So each coordinate tries ε = 1e-2, 1e-3, 1e-4 in turn and passes on the first difference
 * within `tolerance` × scale, scale being the largest |autodiff| checked. A wrong gradient rule
 * disagrees at every ε. Perturbed values are rounded to float32 and the quotient uses the actual step.
 */
export function modelGradientCheck(model: Model, options: ModelGradientCheckOptions = {}): ModelGradientCheck {
  const perParameter = options.perParameter ?? 2;
  const epsilons = options.epsilons ?? [1e-2, 1e-3, 1e-4];
  const tolerance = options.tolerance ?? 1e-2;
  const seed = options.seed ?? 0;
  const rng = createRng(seed).fork('coordinates');
  const trainable = model.parameters.filter((p) => p.trainable);
  const { x, y } = randomBatch(model, options.batchSize ?? 4, seed);
  try {
    const { value, grads } = tf.variableGrads(() => lossOf(model, x, y), trainable.map((p) => p.variable));
    const loss = value.dataSync()[0]!;
    const gradValues = new Map(trainable.map((p) => [p.path, grads[p.variable.name]!.dataSync() as Float32Array]));
    tf.dispose([value, ...Object.values(grads)]);
    const scale = [...gradValues.values()].reduce((m, g) => g.reduce((mm, v) => Math.max(mm, Math.abs(v)), m), 0);

    const evaluate = () => tf.tidy(() => lossOf(model, x, y).dataSync()[0]!);
    const coordinates: CoordinateCheck[] = [];
    for (const p of trainable) {
      const original = Float32Array.from(p.variable.dataSync());
      const set = (index: number, v: number) => {
        const values = Float32Array.from(original);
        values[index] = v;
        tf.tidy(() => p.variable.assign(tf.tensor(values, p.shape as number[])));
      };
      for (const index of rng.sampleWithoutReplacement(p.size, Math.min(perParameter, p.size))) {
        const autodiff = gradValues.get(p.path)![index]!;
        const tried: number[] = [];
        for (const epsilon of epsilons) {
          const up = Math.fround(original[index]! + epsilon);
          const down = Math.fround(original[index]! - epsilon);
          set(index, up);
          const lossUp = evaluate();
          set(index, down);
          const lossDown = evaluate();
          tried.push((lossUp - lossDown) / (up - down));
          if (Math.abs(tried[tried.length - 1]! - autodiff) <= tolerance * scale) break;
        }
        const finiteDifference = tried.reduce((best, d) => (Math.abs(d - autodiff) < Math.abs(best - autodiff) ? d : best));
        coordinates.push({ path: p.path, index, autodiff, finiteDifference, tried });
      }
      tf.tidy(() => p.variable.assign(tf.tensor(original, p.shape as number[])));
    }
    const maxAbsError = coordinates.reduce((m, c) => Math.max(m, Math.abs(c.autodiff - c.finiteDifference)), 0);
    const failures = coordinates.filter((c) => Math.abs(c.autodiff - c.finiteDifference) > tolerance * scale);
    return { coordinates, maxAbsError, scale, relativeError: scale === 0 ? maxAbsError : maxAbsError / scale, failures, loss };
  } finally {
    tf.dispose([x, y]);
  }
}
