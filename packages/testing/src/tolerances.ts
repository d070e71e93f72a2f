import { activeBackendTraits, type BackendTraits } from '@overparam/core';

/**
 * Per-backend tolerances, with the reasoning that sets them.
 *
 * Gradient checks compare float32 autodiff against central differences of a float64 reference,
 * whose own error is O(ε²) ≈ 1e-8 with ε = 1e-4. What remains is float32 rounding in the forward
 * and backward passes: relative error ~1e-7 per operation, grown by a few dozen accumulating sums
 * in a small net, so ~1e-5 of the largest gradient entry. We allow 100× that. The wasm and native
 * backends fuse and reorder sums differently from cpu, which changes rounding but not its size.
 *
 * The browser GPU backends compute in float32 too where the GPU allows it: WebGPU always, WebGL
 * whenever it can render to float32 textures (every desktop GPU, and SwiftShader, on which CI runs
 * both). Their shaders reorder sums (tiled matMul, tree reductions) and evaluate exp/log/tanh with
 * the GPU's own float32 approximations, a few ulps rather than half an ulp: still ~1e-6 per
 * operation, so the float32 tolerances hold for them unchanged.
 *
 * A WebGL backend that declares `floatBits: 16` (no float32 render targets, common on phones)
 * rounds every intermediate to float16: unit roundoff 2⁻¹¹ ≈ 4.9e-4 per operation. Measured with
 * float16 textures forced on SwiftShader (test/browser/webgl/float16.test.ts): 8.6e-4 on the MLP
 * gradient check, about 2 roundoffs, against 2.2e-7 with float32 textures. We allow 1e-2, twenty
 * roundoffs, for nets with a few dozen accumulating operations per gradient entry. Losses
 * agree to the same 1e-2.
 */
export interface Tolerances {
  /** Max |autodiff − reference| over all coordinates, divided by max |reference|. */
  readonly gradientRelative: number;
  /** Relative difference allowed between two backends computing the same float32 loss. */
  readonly crossBackendLoss: number;
}

const float32: Tolerances = { gradientRelative: 1e-3, crossBackendLoss: 1e-4 };
const float16: Tolerances = { gradientRelative: 1e-2, crossBackendLoss: 1e-2 };

const byBackend: Record<string, Tolerances> = {
  cpu: float32,
  wasm: float32,
  node: float32,
  webgl: float32,
  webgpu: float32,
};

/**
 * The tolerances for `backend`, loosened to float16's when the backend computes in half
 * precision (`floatBits` of the active backend's traits unless given).
 */
export function tolerancesFor(backend: string, floatBits: BackendTraits['floatBits'] = activeBackendTraits().floatBits): Tolerances {
  if (floatBits === 16) return float16;
  return byBackend[backend] ?? float32;
}
