import type { Loss, LossName, Tensor } from '@overparam/core';

/**
 * What each f_i is, whose gradients the Gram compares:
 * - `loss`: the example's loss ℓ(g(x_i), y_i) — gradient confusion is built on this;
 * - `output`: the network output g(x_i) — the empirical NTK (k outputs: see `outputs`).
 * With `groups`, f_a is the mean loss of the examples of group a (a minibatch gradient).
 */
export const gramOfs = ['loss', 'output'] as const;
export type GramOf = (typeof gramOfs)[number];

/**
 * `fast`: one forward pass with taps and one backward pass with respect to zero probes per chunk
 * of examples, then per-layer products; errors when a parameter is not covered by a supported tap.
 * `loop`: one backward pass per example (or group, or output), the reference.
 * `auto`: `fast` when every parameter is covered, else `loop` (the result says why).
 */
export const gramMethods = ['auto', 'fast', 'loop'] as const;
export type GramMethod = (typeof gramMethods)[number];

/** How an NTK of k outputs is kept: its n×n trace over outputs or the full kn×kn matrix. */
export const ntkOutputModes = ['trace', 'full'] as const;

export interface GramOptions {
  readonly of?: GramOf;
  /** Required for `of: 'loss'`. */
  readonly loss?: Loss | LossName;
  /**
   * For `of: 'output'` with k > 1 outputs: `trace` (default) gives the n×n Σ_c Θ(x_i, x_j)_cc;
   * `full` gives the kn×kn matrix, row i·k + c for example i and output c.
   */
  readonly outputs?: (typeof ntkOutputModes)[number];
  /**
   * Row indices of the batch, one list per group: G_ab = ⟨∇L_a, ∇L_b⟩ with L_a the mean loss of
   * group a. Only with `of: 'loss'`.
   */
  readonly groups?: ReadonlyArray<ArrayLike<number>>;
  readonly method?: GramMethod;
  /**
   * Batch-norm mode. Default false (running statistics) for per-example quantities, true for
   * groups (each group is forwarded as one batch, as in training; running statistics are not
   * updated). Per-example quantities in training mode are an error: the batch couples examples.
   */
  readonly training?: boolean;
  /** Also return each layer's contribution (same shape as the total). Default false. */
  readonly perLayer?: boolean;
  /** Include parameters marked not trainable. Default false. */
  readonly includeFrozen?: boolean;
  /**
   * Rough cap, in float32 values, on what one chunk keeps alive at once (activations of a pass,
   * per-example conv gradients). Default 2²⁵ (128 MiB).
   */
  readonly memoryBudget?: number;
  /**
   * Called as the work advances: `done` of `total` backward passes on the per-example loop, of
   * `total` layers on the fast path. For a progress display; the result does not depend on it.
   */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface GramBatch {
  /** Inputs [n, ...model.inputShape]. */
  readonly x: Tensor;
  /** Targets as the loss expects them; required for `of: 'loss'`. */
  readonly y?: Tensor;
}

export interface LayerGram {
  /** The layer's dotted path in the model (`''` for a root primitive). */
  readonly path: string;
  readonly kind: string;
  /** The model parameters this contribution covers. */
  readonly params: readonly string[];
  readonly matrix: Float64Array;
}

export interface GramResult {
  /** Side of the matrix: examples, groups, or examples × outputs. */
  readonly size: number;
  /** Row-major size × size, symmetric, float64. */
  readonly matrix: Float64Array;
  readonly layers?: readonly LayerGram[];
  readonly of: GramOf;
  readonly method: 'fast' | 'loop';
  /** Why `auto` fell back to the loop. */
  readonly fallbackReason?: string;
  /** Batch-norm mode the model ran in. */
  readonly training: boolean;
  /** Outputs per example (k) for `of: 'output'`; 1 otherwise. */
  readonly outputs: number;
  /** Model parameters included, in layer order. */
  readonly params: readonly string[];
}
