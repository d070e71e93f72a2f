import { ConfigError, ShapeError } from '@overparam/core';
import type { GramResult, LayerGram } from './gram/types';
import { extremeEigenvalues } from './lanczos';
import { symmetricEigenvaluesOf } from './symmetric-eigenvalues';

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
/** Side of the tiles `symmetrized` walks the matrix in: 32 rows of 32 doubles, 8 KiB, stay in L1. */
const TILE = 32;

/** Checks shape, finiteness and symmetry, and returns the exactly symmetric average ½(G + Gᵀ). */
function symmetrized(n: number, values: Float64Array, what: string): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ShapeError(`${what}: size must be a positive integer, got ${n}`);
  if (values.length !== n * n) throw new ShapeError(`${what}: expected size² = ${n * n} values (row-major), got ${values.length}`);
  let scale = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) throw new ConfigError(what, `entry (${Math.floor(k / n)}, ${k % n}) is ${v}; the Gram has non-finite values (diverged weights?)`);
    scale = Math.max(scale, Math.abs(v));
  }
  const m = new Float64Array(n * n);
  // By TILE×TILE tiles: the transposed reads and writes then stay within cache lines a tile uses
  // for all its rows. Row by row they missed the cache on every entry: 56 of the 214 ms of CPU
  // that λ_min and λ_max of the bench's 1024×1024 Gram took, against ~7 ms by tiles.
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const iEnd = Math.min(i0 + TILE, n);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      const jEnd = Math.min(j0 + TILE, n);
      for (let i = i0; i < iEnd; i++) {
        for (let j = Math.max(i, j0); j < jEnd; j++) {
          const a = values[i * n + j]!;
          const b = values[j * n + i]!;
          if (Math.abs(a - b) > SYMMETRY_TOLERANCE * scale) {
            throw new ShapeError(`${what}: not symmetric at (${i}, ${j}): ${a} vs ${b}; pass a Gram matrix (row-major size×size)`);
          }
          const s = 0.5 * (a + b);
          m[i * n + j] = s;
          m[j * n + i] = s;
        }
      }
    }
  }
  return m;
}

/**
 * Eigenvalues of a symmetric matrix in float64, ascending: Householder tridiagonalisation and
 * implicit QL without eigenvectors (`symmetric-eigenvalues.ts`), (2/3)·n³ multiply-adds. ml-matrix's
 * EigenvalueDecomposition, which always forms eigenvectors, is its reference in the tests.
 */
export function symmetricEigenvalues(g: Pick<SymmetricMatrix, 'size' | 'matrix'>, what = 'gram'): Float64Array {
  return symmetricEigenvaluesOf(g.size, symmetrized(g.size, g.matrix, what));
}

/** λ_min and λ_max only, by Lanczos (`lanczos.ts`; shift-and-invert for a dense bottom edge), falling back to the full solver when neither converges. */
export function symmetricExtremeEigenvalues(g: Pick<SymmetricMatrix, 'size' | 'matrix'>, what = 'gram'): { lambdaMin: number; lambdaMax: number; method: 'lanczos' | 'shift-invert' | 'full'; iterations: number } {
  return extremeEigenvalues(g.size, symmetrized(g.size, g.matrix, what));
}

function trace(n: number, values: Float64Array): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += values[i * n + i]!;
  return t;
}

/** λ_min, λ_max, κ and the full spectrum of a Gram, and each layer's part when it has `layers`. */
export function spectrum(g: SymmetricMatrix, options: SpectrumOptions = {}): Spectrum {
  const eigenvalues = symmetricEigenvalues(g);
  return { ...summary(g, eigenvalues[0]!, eigenvalues[eigenvalues.length - 1]!, options), eigenvalues };
}

/**
 * What `spectrum` gives except the full list of eigenvalues, from λ_min and λ_max alone (Lanczos):
 * what the training hooks record, far cheaper than every eigenvalue at large n.
 */
export function spectrumExtremes(g: SymmetricMatrix, options: SpectrumOptions = {}): Omit<Spectrum, 'eigenvalues'> {
  const { lambdaMin, lambdaMax } = symmetricExtremeEigenvalues(g);
  return summary(g, lambdaMin, lambdaMax, options);
}

function summary(g: SymmetricMatrix, lambdaMin: number, lambdaMax: number, options: SpectrumOptions): Omit<Spectrum, 'eigenvalues'> {
  const total = trace(g.size, g.matrix);
  const result = { size: g.size, lambdaMin, lambdaMax, condition: lambdaMin > 0 ? lambdaMax / lambdaMin : Infinity, trace: total };
  if (g.layers === undefined) return result;

  const layers = g.layers.map((layer): LayerSpectrum => {
    if (layer.matrix.length !== g.size * g.size) {
      throw new ShapeError(`spectrum: layer '${layer.path}' has ${layer.matrix.length} values, but the total Gram is ${g.size}×${g.size}`);
    }
    const t = trace(g.size, layer.matrix);
    const part = { path: layer.path, trace: t, traceShare: total === 0 ? 0 : t / total };
    if (options.layerEigenvalues === false) return part;
    const ev = symmetricExtremeEigenvalues({ size: g.size, matrix: layer.matrix }, `layers[${layer.path}]`);
    return { ...part, lambdaMin: ev.lambdaMin, lambdaMax: ev.lambdaMax };
  });
  return { ...result, layers };
}

/** One layer's part of a spectrum record, under its name in the papers' notation. */
export interface NamedLayerSpectrum {
  /** The layer's parameter path in the model (its weights and bias together). */
  readonly path: string;
  readonly trace: number;
  readonly traceShare: number;
  readonly lambdaMin?: number;
  readonly lambdaMax?: number;
}

/**
 * Per-layer spectra keyed as the papers name the layers: `W(1)` … `W(H)` in order of depth
 * (Du et al.'s W⁽¹⁾ … W⁽ᴴ⁾, whose Theorem 5.1 bounds λ_min of the last one's Gram G⁽ᴴ⁾). The
 * order is the Gram's layer order, which is the forward order of the parametrised primitives;
 * each primitive (a dense or conv layer with its bias, a batch-norm) is one layer, and frozen
 * parameters (Du et al.'s output layer a) are not in the Gram, so they get no name.
 */
export function paperLayerSpectra(layers: readonly LayerSpectrum[]): Record<string, NamedLayerSpectrum> {
  return Object.fromEntries(
    layers.map((l, i) => [
      `W(${i + 1})`,
      { path: l.path, trace: l.trace, traceShare: l.traceShare, ...(l.lambdaMin !== undefined ? { lambdaMin: l.lambdaMin, lambdaMax: l.lambdaMax } : {}) },
    ]),
  );
}
