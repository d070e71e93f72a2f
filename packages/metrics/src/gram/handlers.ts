import type { Tensor } from '@overparam/core';

/** One parameterized primitive as seen by a discovery pass (shapes without the batch axis). */
export interface TapInfo {
  readonly path: string;
  readonly kind: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The primitive's parameter keys that are included, e.g. `['w', 'b']`. */
  readonly keys: readonly string[];
  /** Model path of each included key. */
  readonly paramPaths: Readonly<Record<string, string>>;
  /** The primitive's parameter shapes by key. */
  readonly paramShapes: Readonly<Record<string, readonly number[]>>;
  readonly config: Readonly<Record<string, unknown>>;
}

/**
 * One layer's tensors for a run of rows: its input A [m, ...] and its output gradients, one per
 * replica (one for losses; k for the trace of a k-output NTK, where replica c holds ∂g_c/∂z).
 */
export interface LayerRows {
  readonly input: Tensor;
  readonly deltas: readonly Tensor[];
}

/**
 * How the fast path handles one primitive kind. `features` turns a run of rows into tensors whose
 * pairwise products give the layer's per-example gradient inner products; `block` forms them.
 * The Gram is then Σ over replicas of ⟨∇θ_l f_i, ∇θ_l f_j⟩ for rows i of p and j of q.
 */
export interface TapHandler {
  readonly kind: string;
  /** Parameter keys it can differentiate. */
  readonly keys: readonly string[];
  /** Why this particular tap cannot be handled (an unsupported setting), if it cannot. */
  check?(tap: TapInfo): string | undefined;
  /** Float32 values `features` holds per row (with `replicas` output gradients), for the memory budget. */
  featureSize(tap: TapInfo, replicas: number): number;
  /** New tensors the caller disposes. */
  features(tap: TapInfo, rows: LayerRows): Tensor[];
  /** The layer's Gram block between two runs of rows, rows(p) × rows(q), row-major float64. */
  block(tap: TapInfo, p: readonly Tensor[], q: readonly Tensor[]): Promise<Float64Array>;
}
