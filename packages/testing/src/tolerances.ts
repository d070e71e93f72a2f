/**
 * Per-backend tolerances, with the reasoning that sets them.
 *
 * Gradient checks compare float32 autodiff against central differences of a float64 reference,
 * whose own error is O(ε²) ≈ 1e-8 with ε = 1e-4. What remains is float32 rounding in the forward
 * and backward passes: relative error ~1e-7 per operation, grown by a few dozen accumulating sums
 * in a small net, so ~1e-5 of the largest gradient entry. We allow 100× that. The wasm and native
 * backends fuse and reorder sums differently from cpu, which changes rounding but not its size.
 */
export interface Tolerances {
  /** Max |autodiff − reference| over all coordinates, divided by max |reference|. */
  readonly gradientRelative: number;
  /** Relative difference allowed between two backends computing the same float32 loss. */
  readonly crossBackendLoss: number;
}

const defaults: Tolerances = { gradientRelative: 1e-3, crossBackendLoss: 1e-4 };

const byBackend: Record<string, Tolerances> = {
  cpu: defaults,
  wasm: defaults,
  node: defaults,
};

export function tolerancesFor(backend: string): Tolerances {
  return byBackend[backend] ?? defaults;
}
