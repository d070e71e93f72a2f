/**
 * Central finite differences in float64: ∂f/∂θ_k ≈ (f(θ + εe_k) − f(θ − εe_k)) / 2ε, with
 * truncation error O(ε²). `f` must be a float64 computation for the result to be a reference.
 */
export function finiteDifferenceGradient(f: (theta: Float64Array) => number, theta: Float64Array, epsilon = 1e-4, coordinates?: ArrayLike<number>): Float64Array {
  const coords = coordinates ?? Array.from({ length: theta.length }, (_, i) => i);
  const grad = new Float64Array(coords.length);
  const probe = Float64Array.from(theta);
  for (let c = 0; c < coords.length; c++) {
    const k = coords[c]!;
    const saved = probe[k]!;
    probe[k] = saved + epsilon;
    const up = f(probe);
    probe[k] = saved - epsilon;
    const down = f(probe);
    probe[k] = saved;
    grad[c] = (up - down) / (2 * epsilon);
  }
  return grad;
}

/** max_k |a_k − b_k| / max_k |b_k|: the error measured against the reference's scale. */
export function maxRelativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) throw new Error(`length mismatch: ${actual.length} vs ${reference.length}`);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  }
  return scale === 0 ? maxDiff : maxDiff / scale;
}
