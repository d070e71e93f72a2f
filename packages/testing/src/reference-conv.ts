/**
 * Float64, plain-JS references for the convolutional primitives: the oracles conv2d and batchNorm
 * are checked against. Layouts are core's: inputs NHWC row-major, kernels [k, k, inC, outC].
 * Padding follows TensorFlow ('same': output ⌈size/stride⌉, the odd padding row after), written
 * out here from that definition rather than taken from core.
 */
export interface ReferenceConvSpec {
  /** [batch, height, width, inC]. */
  readonly inputShape: readonly [number, number, number, number];
  readonly kernelSize: number;
  readonly filters: number;
  readonly stride: number;
  readonly padding: 'same' | 'valid';
}

function axis(size: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; before: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / s) + 1, before: 0 };
  const out = Math.ceil(size / s);
  return { out, before: Math.floor(Math.max((out - 1) * s + k - size, 0) / 2) };
}

/** Output shape [batch, outH, outW, filters]. */
export function referenceConvOutputShape(spec: ReferenceConvSpec): [number, number, number, number] {
  const [n, h, w] = spec.inputShape;
  return [n, axis(h, spec.kernelSize, spec.stride, spec.padding).out, axis(w, spec.kernelSize, spec.stride, spec.padding).out, spec.filters];
}

/** y[n,i,j,o] = b[o] + Σ_{a,b,c} x[n, i·s + a − padTop, j·s + b − padLeft, c]·w[a,b,c,o], zero outside x. */
export function referenceConv2d(spec: ReferenceConvSpec, x: ArrayLike<number>, w: ArrayLike<number>, bias?: ArrayLike<number>): Float64Array {
  const [n, h, wd, c] = spec.inputShape;
  const k = spec.kernelSize;
  const o = spec.filters;
  const rows = axis(h, k, spec.stride, spec.padding);
  const cols = axis(wd, k, spec.stride, spec.padding);
  const y = new Float64Array(n * rows.out * cols.out * o);
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < rows.out; i++) {
      for (let j = 0; j < cols.out; j++) {
        for (let f = 0; f < o; f++) {
          let sum = bias?.[f] ?? 0;
          for (let a = 0; a < k; a++) {
            const r = i * spec.stride + a - rows.before;
            if (r < 0 || r >= h) continue;
            for (let b = 0; b < k; b++) {
              const q = j * spec.stride + b - cols.before;
              if (q < 0 || q >= wd) continue;
              for (let ch = 0; ch < c; ch++) sum += x[((e * h + r) * wd + q) * c + ch]! * w[((a * k + b) * c + ch) * o + f]!;
            }
          }
          y[((e * rows.out + i) * cols.out + j) * o + f] = sum;
        }
      }
    }
  }
  return y;
}

export interface ReferenceBatchNorm {
  /** γ·x̂ + β, row-major like the input. */
  readonly y: Float64Array;
  /** Per-channel mean and biased variance of the batch (or the running values used in evaluation). */
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** The running statistics after a training-mode update: momentum·old + (1 − momentum)·batch, unbiased variance. */
  readonly runningMean: Float64Array;
  readonly runningVariance: Float64Array;
}

/**
 * Batch normalization over every axis but the last of an input with `channels` channels.
 * Training mode normalizes by the batch's statistics; evaluation mode by `running`.
 */
export function referenceBatchNorm(
  x: ArrayLike<number>,
  channels: number,
  params: { gamma: ArrayLike<number>; beta: ArrayLike<number>; epsilon: number; momentum: number },
  running: { mean: ArrayLike<number>; variance: ArrayLike<number> },
  training: boolean,
): ReferenceBatchNorm {
  const m = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels]! += x[i]! / m;
  for (let i = 0; i < x.length; i++) variance[i % channels]! += (x[i]! - mean[i % channels]!) ** 2 / m;
  const useMean = training ? mean : Float64Array.from(running.mean);
  const useVar = training ? variance : Float64Array.from(running.variance);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = i % channels;
    y[i] = params.gamma[ch]! * ((x[i]! - useMean[ch]!) / Math.sqrt(useVar[ch]! + params.epsilon)) + params.beta[ch]!;
  }
  const unbias = m > 1 ? m / (m - 1) : 1;
  const runningMean = Float64Array.from({ length: channels }, (_, ch) => params.momentum * running.mean[ch]! + (1 - params.momentum) * mean[ch]!);
  const runningVariance = Float64Array.from({ length: channels }, (_, ch) => params.momentum * running.variance[ch]! + (1 - params.momentum) * variance[ch]! * unbias);
  return { y, mean: useMean, variance: useVar, runningMean, runningVariance };
}

export interface ReferencePoolSpec {
  /** [batch, height, width, channels]. */
  readonly inputShape: readonly [number, number, number, number];
  readonly size: number;
  readonly stride: number;
  readonly padding: 'same' | 'valid';
}

/** y[n,i,j,c] = max over the window's positions inside x (TensorFlow: padding never wins). */
export function referenceMaxPool2d(spec: ReferencePoolSpec, x: ArrayLike<number>): { y: Float64Array; shape: [number, number, number, number] } {
  const [n, h, wd, c] = spec.inputShape;
  const rows = axis(h, spec.size, spec.stride, spec.padding);
  const cols = axis(wd, spec.size, spec.stride, spec.padding);
  const y = new Float64Array(n * rows.out * cols.out * c);
  for (let e = 0; e < n; e++) {
    for (let i = 0; i < rows.out; i++) {
      for (let j = 0; j < cols.out; j++) {
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          for (let a = 0; a < spec.size; a++) {
            const r = i * spec.stride + a - rows.before;
            if (r < 0 || r >= h) continue;
            for (let b = 0; b < spec.size; b++) {
              const q = j * spec.stride + b - cols.before;
              if (q >= 0 && q < wd) best = Math.max(best, x[((e * h + r) * wd + q) * c + ch]!);
            }
          }
          y[((e * rows.out + i) * cols.out + j) * c + ch] = best;
        }
      }
    }
  }
  return { y, shape: [n, rows.out, cols.out, c] };
}
