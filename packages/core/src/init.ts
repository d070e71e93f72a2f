import { Matrix, QrDecomposition } from 'ml-matrix';
import { ConfigError, UnknownNameError } from './errors';
import type { Shape } from './layers/types';
import type { Rng } from './rng';

/**
 * Weight initializers. Each draws on the JS side from the run's seeded RNG, so a seed gives the
 * same weights on every backend. "Normal" is untruncated unless the name says truncated.
 */
export interface InitContext {
  /** Inputs feeding one output unit (for conv: kernel height × width × input channels). */
  readonly fanIn: number;
  /** Outputs fed by one input unit (for conv: kernel height × width × output channels). */
  readonly fanOut: number;
  /** True for the network's first weight layer (Strategy 4.1 treats it differently). */
  readonly isFirstLayer?: boolean;
}

export type Initializer = (rng: Rng, shape: Shape, ctx: InitContext) => Float32Array;

/** An initializer by name, with its options: `'glorot-normal'` or `{ name: 'strategy-4.1', kappa: 4 }`. */
export type InitSpec = string | { readonly name: string; readonly [option: string]: unknown };

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

function normal(std: number): Initializer {
  return (rng, shape) => {
    const out = new Float32Array(size(shape));
    rng.fillNormal(out, std);
    return out;
  };
}

function uniform(limit: number): Initializer {
  return (rng, shape) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) out[i] = (2 * rng.uniform() - 1) * limit;
    return out;
  };
}

function truncatedNormal(std: number): Initializer {
  return (rng, shape) => {
    const out = new Float32Array(size(shape));
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do v = rng.normal();
      while (Math.abs(v) > 2);
      out[i] = v * std;
    }
    return out;
  };
}

/**
 * A random orthogonal matrix (QR of a Gaussian matrix with the signs of R's diagonal folded in,
 * so the result is Haar-distributed), reshaped to [prod(shape[:-1]), shape[-1]]: rows or columns
 * orthonormal, whichever there are fewer of, times `gain`.
 */
function orthogonal(gain: number): Initializer {
  return (rng, shape) => {
    const cols = shape[shape.length - 1] ?? 1;
    const rows = size(shape) / cols;
    const tall = Math.max(rows, cols);
    const wide = Math.min(rows, cols);
    const g = new Matrix(tall, wide);
    for (let i = 0; i < tall; i++) for (let j = 0; j < wide; j++) g.set(i, j, rng.normal());
    const qr = new QrDecomposition(g);
    const q = qr.orthogonalMatrix.subMatrix(0, tall - 1, 0, wide - 1);
    const r = qr.upperTriangularMatrix;
    for (let j = 0; j < wide; j++) {
      if (r.get(j, j) < 0) for (let i = 0; i < tall; i++) q.set(i, j, -q.get(i, j));
    }
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (rows >= cols ? q.get(i, j) : q.get(j, i));
    }
    return out;
  };
}

function numberOption(spec: InitSpec, key: string, fallback: number): number {
  if (typeof spec === 'string') return fallback;
  const v = spec[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`init.${key}`, `expected a finite number, got ${JSON.stringify(v)}`);
  return v;
}

type Factory = (spec: InitSpec) => Initializer;

const factories: Record<string, Factory> = {
  /** N(0, 2/(fan_in + fan_out)) (Sankararaman et al. (2020), appendix A.1). */
  'glorot-normal': () => (rng, shape, c) => normal(Math.sqrt(2 / (c.fanIn + c.fanOut)))(rng, shape, c),
  /** U(±√(6/(fan_in + fan_out))). */
  'glorot-uniform': () => (rng, shape, c) => uniform(Math.sqrt(6 / (c.fanIn + c.fanOut)))(rng, shape, c),
  /** N(0, 1/fan_in) (Sankararaman et al. (2020), appendix A.1). */
  'lecun-normal': () => (rng, shape, c) => normal(Math.sqrt(1 / c.fanIn))(rng, shape, c),
  /** He/MSRA: N(0, 2/fan_in) (Sankararaman et al. (2020), appendix A.2). */
  'he-normal': () => (rng, shape, c) => normal(Math.sqrt(2 / c.fanIn))(rng, shape, c),
  /**
   * Strategy 4.1 of Sankararaman et al. (2020): hidden weights N(0, 1/(κ·fan_in)), the first layer N(0, 1/d).
   * Options: `kappa` (κ > 0, default 1).
   */
  'strategy-4.1': (spec) => {
    const kappa = numberOption(spec, 'kappa', 1);
    if (!(kappa > 0)) throw new ConfigError('init.kappa', `must be > 0, got ${kappa}`);
    return (rng, shape, c) => normal(Math.sqrt(1 / ((c.isFirstLayer === true ? 1 : kappa) * c.fanIn)))(rng, shape, c);
  },
  /** Options: `gain` (default 1). */
  orthogonal: (spec) => orthogonal(numberOption(spec, 'gain', 1)),
  zeros: () => (_rng, shape) => new Float32Array(size(shape)),
  /** Options: `value` (default 0). */
  constant: (spec) => {
    const value = numberOption(spec, 'value', 0);
    return (_rng, shape) => new Float32Array(size(shape)).fill(value);
  },
  /** N(0, std²), untruncated. Options: `std` (default 1). */
  normal: (spec) => normal(numberOption(spec, 'std', 1)),
  /** N(0, std²) redrawn beyond two standard deviations. Options: `std` (default 1). */
  'truncated-normal': (spec) => truncatedNormal(numberOption(spec, 'std', 1)),
  /**
   * Ones on the leading diagonal (of non-square matrices too), zeros elsewhere, times `gain`
   * (default 1): the extra factors of an overparameterized layer start as the identity map.
   */
  identity: (spec) => {
    const gain = numberOption(spec, 'gain', 1);
    return (_rng, shape) => {
      if (shape.length !== 2) throw new ConfigError('init', `identity needs a matrix, got shape [${shape.join(', ')}]`);
      const [rows, cols] = shape as [number, number];
      const out = new Float32Array(rows * cols);
      for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
      return out;
    };
  },
};

export const initializerNames: readonly string[] = Object.keys(factories);

export function resolveInitializer(spec: InitSpec): Initializer {
  const name = typeof spec === 'string' ? spec : spec.name;
  const factory = factories[name];
  if (factory === undefined) throw new UnknownNameError('INIT_UNKNOWN', 'initializer', name, initializerNames);
  return factory(spec);
}
