import { ConfigError, ShapeError } from '@overparam/core';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { GramResult, LayerGram } from './gram/types';

/**
 * A symmetric size×size matrix, row-major float64, with optional per-layer parts: the shape of
 * the Gram engine's result (`GramResult`), which `spectrum` takes as it is.
 */
export interface SymmetricMatrix extends Pick<GramResult, 'size' | 'matrix'> {
  readonly layers?: ReadonlyArray<Pick<LayerGram, 'path' | 'matrix'>>;
}

export interface LayerSpectrum {
  /** The layer's path, as in the Gram's `layers`. */
  readonly path: string;
  readonly trace: number;
  /** This layer's trace over the total's: its share of Σ_i G_ii = Σ_i ‖∇f_i‖². */
  readonly traceShare: number;
  /** Absent when `layerEigenvalues` is false. */
  readonly lambdaMin?: number;
  readonly lambdaMax?: number;
}

export interface Spectrum {
  readonly size: number;
  /** Every eigenvalue, ascending. */
  readonly eigenvalues: Float64Array;
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  /** κ = λ_max / λ_min; Infinity when λ_min ≤ 0 (a singular Gram, e.g. more examples than parameters). */
  readonly condition: number;
  readonly trace: number;
  /** Per-layer contributions, in the Gram's layer order, when it has `layers`. */
  readonly layers?: readonly LayerSpectrum[];
}

export interface SpectrumOptions {
  /** Also compute each layer's λ_min and λ_max (one eigendecomposition per layer). Default true. */
  readonly layerEigenvalues?: boolean;
}

// A Gram built in float64 from float32 tensors is symmetric up to summation order; anything further
// off than this (relative to the largest entry) is a wrong layout, not rounding.
const SYMMETRY_TOLERANCE = 1e-6;

function symmetrized(n: number, values: Float64Array, what: string): Matrix {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError(`${what}: size must be a positive integer, got ${n}`);
  if (values.length !== n * n) throw new ShapeError(`${what}: expected size² = ${n * n} values (row-major), got ${values.length}`);
  let scale = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) throw new ConfigError(what, `entry (${Math.floor(k / n)}, ${k % n}) is ${v}; the Gram has non-finite values (diverged weights?)`);
    scale = Math.max(scale, Math.abs(v));
  }
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const a = values[i * n + j]!;
      const b = values[j * n + i]!;
      if (Math.abs(a - b) > SYMMETRY_TOLERANCE * scale) {
        throw new ShapeError(`${what}: not symmetric at (${i}, ${j}): ${a} vs ${b}; pass a Gram matrix (row-major size×size)`);
      }
      const s = 0.5 * (a + b);
      m.set(i, j, s);
      m.set(j, i, s);
    }
  }
  return m;
}

/**
 * Eigenvalues of a symmetric matrix in float64, ascending, by ml-matrix's
 * EigenvalueDecomposition (Householder tridiagonalisation + implicit QL, the JAMA/EISPACK
 * tred2/tql2 pair). It also forms eigenvectors we do not need, so n = 1024 takes ~10 s here;
 * see the README for the measurements and the alternatives we tried.
 */
export function symmetricEigenvalues(g: Pick<SymmetricMatrix, 'size' | 'matrix'>, what = 'gram'): Float64Array {
  const evd = new EigenvalueDecomposition(symmetrized(g.size, g.matrix, what), { assumeSymmetric: true });
  return Float64Array.from(evd.realEigenvalues).sort();
}

function trace(n: number, values: Float64Array): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += values[i * n + i]!;
  return t;
}

/** λ_min, λ_max, κ and the full spectrum of a Gram, and each layer's part when it has `layers`. */
export function spectrum(g: SymmetricMatrix, options: SpectrumOptions = {}): Spectrum {
  const eigenvalues = symmetricEigenvalues(g);
  const lambdaMin = eigenvalues[0]!;
  const lambdaMax = eigenvalues[eigenvalues.length - 1]!;
  const total = trace(g.size, g.matrix);
  const result = { size: g.size, eigenvalues, lambdaMin, lambdaMax, condition: lambdaMin > 0 ? lambdaMax / lambdaMin : Infinity, trace: total };
  if (g.layers === undefined) return result;

  const layers = g.layers.map((layer): LayerSpectrum => {
    if (layer.matrix.length !== g.size * g.size) {
      throw new ShapeError(`spectrum: layer '${layer.path}' has ${layer.matrix.length} values, but the total Gram is ${g.size}×${g.size}`);
    }
    const t = trace(g.size, layer.matrix);
    const part = { path: layer.path, trace: t, traceShare: total === 0 ? 0 : t / total };
    if (options.layerEigenvalues === false) return part;
    const ev = symmetricEigenvalues({ size: g.size, matrix: layer.matrix }, `layers[${layer.path}]`);
    return { ...part, lambdaMin: ev[0]!, lambdaMax: ev[ev.length - 1]! };
  });
  return { ...result, layers };
}
