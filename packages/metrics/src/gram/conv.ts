import { tf, type Tensor } from '@overparam/core';
import type { TapHandler, TapInfo } from './handlers';
import { rowProducts } from './linalg';

/**
 * 2-D convolutions, NHWC, weights [kh, kw, inC, outC]. Example i's weight gradient is
 * U_iᵀ Δ_i, where U_i [positions, kh·kw·inC] holds its unfolded input patches (im2col) and
 * Δ_i [positions, outC] its output gradients; its bias gradient is Σ_positions Δ_i. Unlike dense
 * layers there is no cheap identity for ⟨U_iᵀΔ_i, U_jᵀΔ_j⟩, so the per-example gradients are
 * formed (a batched matMul), a bounded number of rows at a time (the caller's budget), and
 * compared by one matMul. Replicas stack along Δ's channel axis, summing over outputs.
 */

function pair(v: unknown, name: string): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number')) return [v[0] as number, v[1] as number];
  throw new Error(`conv2d tap: config.${name} must be a number or [h, w], got ${JSON.stringify(v)}`);
}

interface Geometry {
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pads: [[number, number], [number, number]];
  readonly outH: number;
  readonly outW: number;
  readonly inC: number;
}

/** Padding as TensorFlow defines it ('same' puts the odd pixel at the bottom/right). */
function geometry(tap: TapInfo): Geometry {
  const [kh, kw] = tap.paramShapes.w !== undefined ? [tap.paramShapes.w[0]!, tap.paramShapes.w[1]!] : pair(tap.config.kernelSize, 'kernelSize');
  const [sh, sw] = pair(tap.config.stride ?? tap.config.strides ?? 1, 'stride');
  const [h, w, inC] = tap.inputShape as [number, number, number];
  const [outH, outW] = tap.outputShape as [number, number, number];
  const padding = tap.config.padding ?? 'valid';
  const side = (size: number, out: number, k: number, s: number): [number, number] => {
    if (padding === 'valid') return [0, 0];
    if (padding === 'same') {
      const total = Math.max((out - 1) * s + k - size, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    if (typeof padding === 'number') return [padding, padding];
    throw new Error(`conv2d tap: unsupported padding ${JSON.stringify(padding)}`);
  };
  return { kh, kw, sh, sw, pads: [side(h, outH, kh, sh), side(w, outW, kw, sw)], outH, outW, inC };
}

/** [m, H, W, C] → [m, outH·outW, kh·kw·C], patch entries ordered (dy, dx, c) like the weights. */
export function im2col(x: Tensor, g: Geometry): Tensor {
  return tf.tidy(() => {
    const m = x.shape[0]!;
    const padded = tf.pad(x, [[0, 0], g.pads[0], g.pads[1], [0, 0]]);
    const slices: Tensor[] = [];
    for (let dy = 0; dy < g.kh; dy++) {
      for (let dx = 0; dx < g.kw; dx++) {
        slices.push(tf.stridedSlice(padded, [0, dy, dx, 0], [m, dy + (g.outH - 1) * g.sh + 1, dx + (g.outW - 1) * g.sw + 1, g.inC], [1, g.sh, g.sw, 1]));
      }
    }
    return tf.reshape(tf.stack(slices, 3), [m, g.outH * g.outW, g.kh * g.kw * g.inC]);
  });
}

export const convHandler: TapHandler = {
  kind: 'conv2d',
  keys: ['w', 'b'],
  check(tap) {
    if (tap.inputShape.length !== 3 || tap.outputShape.length !== 3) return `expects NHWC input and output, got [${tap.inputShape}] → [${tap.outputShape}]`;
    const dilation = tap.config.dilation ?? tap.config.dilations ?? 1;
    if (!(dilation === 1 || (Array.isArray(dilation) && dilation.every((d) => d === 1)))) return `dilation ${JSON.stringify(dilation)} is not supported`;
    try {
      geometry(tap);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  },
  featureSize(tap, replicas) {
    const g = geometry(tap);
    const outC = tap.outputShape[2]!;
    const patches = g.outH * g.outW * g.kh * g.kw * g.inC;
    return patches + (g.kh * g.kw * g.inC + 1) * outC * replicas;
  },
  features(tap, rows) {
    const g = geometry(tap);
    const m = rows.input.shape[0]!;
    const positions = g.outH * g.outW;
    const delta = tf.reshape(rows.deltas.length === 1 ? rows.deltas[0]! : tf.concat([...rows.deltas], 3), [m, positions, -1]);
    const parts: Tensor[] = [];
    if (tap.keys.includes('w')) {
      const u = im2col(rows.input, g);
      const perExample = tf.matMul(tf.transpose(u, [0, 2, 1]) as tf.Tensor3D, delta as tf.Tensor3D);
      parts.push(tf.reshape(perExample, [m, -1]));
    }
    if (tap.keys.includes('b')) parts.push(tf.sum(delta, 1));
    return [parts.length === 1 ? parts[0]! : tf.concat(parts, 1)];
  },
  async block(_tap, p, q) {
    return rowProducts(p[0]!, q[0]!);
  },
};
