import { buildModel } from '@overparam/architectures';
import { createRng, tf, type Model, type TapEvent, type Tensor } from '@overparam/core';
import { populationGram, symmetricEigenvalues, type PopulationActivation } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

/**
 * Du et al.'s claim (Du et al. (2019), §2–3): at initialization the last hidden layer's Gram G⁽ᴴ⁾(0)
 * concentrates around the population Gram K⁽ᴴ⁾ as the width m grows, so λ_min(G⁽ᴴ⁾(0)) → λ₀.
 * G⁽ᴴ⁾(0)ᵢⱼ = ⟨∂uᵢ/∂W⁽ᴴ⁾, ∂uⱼ/∂W⁽ᴴ⁾⟩ for the du-mlp of @overparam/architectures, run by the
 * backend under test; for a dense layer z = x·W that is (xᵢ·xⱼ)(δᵢ·δⱼ) with x the layer's input
 * and δᵢ = ∂uᵢ/∂zᵢ, which we read with a tap and a zero probe and combine in float64.
 */
function lastHiddenGram(model: Model, inputs: number[][]): Float64Array {
  const n = inputs.length;
  const x = tf.tensor2d(inputs);
  // The dense layers in order: W⁽¹⁾ … W⁽ᴴ⁾, then the frozen output a. W⁽ᴴ⁾ is the one before a.
  const densePaths: string[] = [];
  let features: Float32Array | undefined;
  const forward = (probe: Tensor | undefined, target: string | undefined) =>
    model.apply(x, {
      recorder: {
        tap(e: TapEvent) {
          if (target === undefined) densePaths.push(e.path);
          if (e.path !== target) return e.output;
          features = e.input.dataSync() as Float32Array;
          return probe === undefined ? e.output : tf.add(e.output, probe);
        },
      },
    });
  tf.tidy(() => void forward(undefined, undefined));
  const target = densePaths[densePaths.length - 2]!;
  const width = model.parameters.find((p) => p.path === `${target}.w`)!.shape[1]!;
  // Σᵢ uᵢ: examples are independent, so its gradient at example i's probe row is ∂uᵢ/∂zᵢ.
  const delta = tf.tidy(() => tf.grad((probe: Tensor) => tf.sum(forward(probe, target)))(tf.zeros([n, width])));
  const d = delta.dataSync();
  delta.dispose();
  x.dispose();
  const f = features!;
  const fanIn = f.length / n;
  const dot = (a: ArrayLike<number>, i: number, j: number, len: number) => {
    let s = 0;
    for (let k = 0; k < len; k++) s += a[i * len + k]! * a[j * len + k]!;
    return s;
  };
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = dot(f, i, j, fanIn) * dot(d, i, j, width);
  return g;
}

function unitInputs(n: number, dim: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: dim }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((t) => t / norm);
  });
}

describe(`λ_min of the Du net's G⁽ᴴ⁾(0) approaches λ₀ = λ_min(K⁽ᴴ⁾) as the width grows (${testBackend})`, () => {
  // n = 6 unit inputs in d = 8 (non-parallel, as the paper assumes), H = 2 weight layers.
  const n = 6;
  const depth = 2;
  const inputs = unitInputs(n, 8, 5);
  /**
   * Independent nets (seeds) per width. Entries of G⁽ᴴ⁾(0) − K⁽ᴴ⁾ shrink as 1/√m (Du et al. (2019),
   * Theorem 4), but one net's λ_min error is noisy: in a float64 simulation of this set-up (32 nets
   * at m = 64 and 512, 12 at 4096) the mean relative error was 0.25, 0.085 and 0.032 and the worst
   * net's 0.80, 0.27 and 0.074. Averaging many cheap small nets and a few large ones, resampling
   * those errors puts the chance that these assertions fail for an unlucky draw of seeds near 0.2 %
   * (softplus) and 0.1 % (relu); the bound 0.15 at m = 4096 is twice the worst single net seen.
   */
  const plan = [
    { activation: 'softplus' as PopulationActivation, nets: { 64: 16, 512: 16, 4096: 3 } },
    { activation: 'relu' as PopulationActivation, nets: { 64: 16, 512: 16, 4096: 2 } },
  ];

  for (const { activation, nets } of plan) {
    const widths = Object.keys(nets).map(Number);
    it(`${activation}: the mean relative error of λ_min shrinks over m ∈ {${widths.join(', ')}} and is < 0.15 at m = 4096`, () => {
      const { lambda0 } = populationGram(inputs, { activation, depth });
      const before = tf.memory().numTensors;
      const errors = widths.map((width) => {
        let sum = 0;
        const count = nets[width as keyof typeof nets];
        for (let seed = 0; seed < count; seed++) {
          const model = buildModel('du-mlp', { depth, width, inputDim: 8, activation }, seed);
          const g = lastHiddenGram(model, inputs);
          model.dispose();
          sum += Math.abs(symmetricEigenvalues({ size: n, matrix: g })[0]! - lambda0) / lambda0;
        }
        return sum / count;
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(errors[1]!).toBeLessThan(errors[0]!);
      expect(errors[2]!).toBeLessThan(errors[1]!);
      expect(errors[2]!).toBeLessThan(0.15);
    });
  }
});
