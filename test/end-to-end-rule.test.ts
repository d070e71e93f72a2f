import { buildModel, endToEndMatrix } from '@overparam/architectures';
import { createRng, MemorySink, resolveLoss, train, type Dataset, type LossSpec, type OptimizerSpec } from '@overparam/core';
import { balancedness, endToEnd } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * Arora et al. (2018), Theorem 1 and eq. 10: gradient descent on a balanced depth-N linear net moves its
 * end-to-end matrix W_e like the end-to-end rule moves a single matrix, up to the rule's
 * first-order (η² ≈ 0) approximation. Both are trained here from the same W_e on the same data.
 */
const d = 5;
const n = 24;

function regression(k: number): Dataset {
  const rng = createRng(`e2e-data-${k}`);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * k);
  const teacher = new Float64Array(k * d);
  rng.fillNormal(teacher, 1);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(row, 1);
    x.set(row, i * d);
    for (let o = 0; o < k; o++) y[i * k + o] = row.reduce((s, v, j) => s + v * teacher[o * d + j]!, 0);
  }
  return { name: `e2e-${k}`, inputShape: [d], task: 'regression', targetDim: k, train: { x, y, n } };
}

async function trajectory(depth: number, k: number, loss: LossSpec, lr: number, steps: number, optimizer: OptimizerSpec, weOf?: number): Promise<number[]> {
  const data = regression(k);
  // Balanced init (eq. 7) with an O(1) end-to-end matrix, so depth visibly changes the dynamics.
  const model = buildModel('deep-linear', { depth, inputDim: d, outputDim: k, width: 4, init: 'balanced', initStd: 0.5 }, 11);
  if (weOf !== undefined) {
    // The single layer starts at the deep net's W_e (k × d), stored by dense as W_eᵀ ([d, k]).
    const deep = buildModel('deep-linear', { depth: weOf, inputDim: d, outputDim: k, width: 4, init: 'balanced', initStd: 0.5 }, 11);
    const we = endToEndMatrix(deep);
    deep.dispose();
    model.writeWeights([{ path: '0.w', shape: [d, k], values: Float32Array.from(we.transpose().to1DArray()) }]);
  }
  const sink = new MemorySink();
  await train(model, data, { steps, batchSize: n, loss: resolveLoss(loss), optimizer, schedule: { kind: 'constant', lr }, seed: 0, logEvery: 1 }, { sinks: [sink] });
  model.dispose();
  // Each `train` record is the full-batch loss before that step.
  return sink.ofKind('train').map((r) => r.loss as number);
}

const maxRelativeGap = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!) / Math.abs(b[i]!)));

describe(`end-to-end rule vs gradient descent on a balanced deep linear net (${testBackend})`, () => {
  it('the balanced init is balanced, and the metric finds the same W_e as the architecture', () => {
    const model = buildModel('deep-linear', { depth: 3, inputDim: d, outputDim: 2, width: 4, init: 'balanced', initStd: 0.5 }, 11);
    // Exact in float64 (eq. 7); float32 storage leaves ~1e-7 of ‖W_j‖².
    expect(balancedness(model).maxRelative!).toBeLessThan(1e-5);
    const fromMetric = endToEnd(model).matrix.to1DArray();
    endToEndMatrix(model)
      .to1DArray()
      .forEach((v, i) => expect(Math.abs(v - fromMetric[i]!)).toBeLessThan(1e-12));
    model.dispose();
  });

  for (const { k, loss, label, weightDecay } of [
    { k: 2, loss: 'square' as LossSpec, label: 'ℓ2, 2 outputs (eq. 10)', weightDecay: 0 },
    { k: 1, loss: { name: 'lp', p: 4 } as LossSpec, label: 'ℓ4, 1 output (eq. 12)', weightDecay: 0 },
    // Theorem 1 with weight decay: λ per layer in GD is ηλN on W_e in the rule.
    { k: 2, loss: 'square' as LossSpec, label: 'ℓ2, 2 outputs, weight decay λ = 0.2', weightDecay: 0.2 },
  ]) {
    it(`depth 3: ${label}`, async () => {
      const depth = 3;
      // Same time horizon ηT = 1 at two learning rates: the loss falls 5–10× over it.
      const horizon = 1;
      const gaps: number[] = [];
      let plainGap = 0;
      for (const lr of [0.01, 0.005]) {
        const steps = Math.round(horizon / lr);
        const deep = await trajectory(depth, k, loss, lr, steps, { name: 'sgd', weightDecay });
        const rule = await trajectory(1, k, loss, lr, steps, { name: 'end-to-end', virtualDepth: depth, weightDecay }, depth);
        gaps.push(maxRelativeGap(rule, deep));
        if (lr === 0.01) plainGap = maxRelativeGap(await trajectory(1, k, loss, lr, steps, { name: 'sgd', weightDecay }, depth), deep);
      }
      // Why a gap at all: one GD step on the factors changes W_e by the rule's first-order term
      // plus O(η²) products of gradients, and it breaks balancedness by η²(∇_{j+1}ᵀ∇_{j+1} − ∇_j∇_jᵀ).
      // Over T = horizon/η steps these local O(η²) errors add up to O(η·horizon). Measured
      // (cpu and wasm agree to float32 rounding, ~1e-6): max relative loss gap 0.019 (ℓ2), 0.0098
      // (ℓ4) and 0.016 (ℓ2, λ = 0.2) at η = 0.01, half that at η = 0.005. So: below 0.03 at
      // η = 0.01, and the gap must shrink in proportion to η (ratio 0.5 ± 0.1), which a rule that
      // differs from GD's first-order term would not do: decaying W_e by ηλ instead of ηλN gives
      // 0.077 at both rates.
      expect(gaps[0]).toBeLessThan(0.03);
      expect(gaps[1]! / gaps[0]!).toBeGreaterThan(0.4);
      expect(gaps[1]! / gaps[0]!).toBeLessThan(0.6);
      // Control: plain GD on the single layer (depth 1) from the same W_e is far off (measured 0.43, 0.67, 0.36).
      expect(plainGap).toBeGreaterThan(0.2);
    });
  }
});
