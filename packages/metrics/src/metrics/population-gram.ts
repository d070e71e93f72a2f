import { ConfigError, createRng } from '@overparam/core';
import { z } from 'zod';
import { gradientGram } from '../gram/engine';
import { defineMetric, scheduleKeys, scheduleOf, withBatch } from '../metric-definition';
import { populationActivations, populationArchitectures, populationGram, type PopulationActivation, type PopulationArchitecture, type PopulationGramOptions } from '../population-gram';
import { checkExamples, measureRows } from './gram';
import { symmetricEigenvalues } from '../spectrum';

/**
 * Du et al.'s population Gram K⁽ᴴ⁾ (Du et al. (2019), eqs. 21–25) on n fixed training inputs, next to the
 * network's own last-layer Gram G⁽ᴴ⁾ = ⟨∂uᵢ/∂W⁽ᴴ⁾, ∂uⱼ/∂W⁽ᴴ⁾⟩ on the same inputs: λ₀ = λ_min(K⁽ᴴ⁾),
 * λ_min(G⁽ᴴ⁾), and the largest entry of |G⁽ᴴ⁾ − K⁽ᴴ⁾|. At initialization the analysis has
 * G⁽ᴴ⁾(0) → K⁽ᴴ⁾ entrywise at rate 1/√m. K⁽ᴴ⁾ depends on the activation and the depth H of the
 * scaled net (fully connected or ResNet); @overparam/experiments fills them in from a du-mlp or
 * du-resnet run's architecture, as metrics cannot know architectures.
 */
/** The scaled net's settings, which experiments fills in from the architecture. */
function settingsOf(spec: { activation?: PopulationActivation; depth?: number; architecture: PopulationArchitecture; cRes?: number }): PopulationGramOptions & { depth: number; activation: PopulationActivation } {
  const { activation, depth, architecture, cRes } = spec;
  if (activation === undefined || depth === undefined) throw new ConfigError('activation', 'population-gram needs the activation and depth H of the scaled net; run it on --arch du-mlp or du-resnet, which supply both');
  return { activation, depth, architecture, ...(cRes !== undefined ? { cRes } : {}) };
}

export const populationGramMetric = defineMetric({
  name: 'population-gram',
  schema: z.strictObject({
    name: z.literal('population-gram'),
    ...scheduleKeys,
    // K⁽ᴴ⁾ is fixed by the data; G⁽ᴴ⁾ against it matters most at initialization.
    start: z.boolean().default(true),
    end: z.boolean().default(false),
    /** Training inputs compared (K⁽ᴴ⁾ is n × n). */
    n: z.number().int().min(2).default(64),
    /** Draws the n inputs once, so every measurement compares the same ones. */
    seed: z.number().int().default(0),
    /** σ of the net (filled in by experiments for du-mlp). */
    activation: z.enum(populationActivations).optional(),
    /** H, the net's number of hidden layers (filled in by experiments for du-mlp). */
    depth: z.number().int().min(1).optional(),
    /** Which of Du et al.'s nets (filled in by experiments: du-mlp or du-resnet). */
    architecture: z.enum(populationArchitectures).default('fully-connected'),
    /** c_res of the ResNet (filled in by experiments for du-resnet). */
    cRes: z.number().positive().optional(),
  }),
  hook: (spec) => ({
    name: spec.name,
    schedule: scheduleOf(spec),
    run(ctx) {
      const settings = settingsOf(spec);
      const { activation, depth, architecture } = settings;
      const started = Date.now();
      const rows = createRng(`population-gram/${spec.seed}`).sampleWithoutReplacement(ctx.data.train.n, spec.n);
      const size = ctx.data.train.x.length / ctx.data.train.n;
      const inputs = Array.from(rows, (r) => ctx.data.train.x.subarray(r * size, (r + 1) * size));
      const k = populationGram(inputs, settings);
      return withBatch(ctx.data, rows, async (batch) => {
        const g = await gradientGram(ctx.model, batch, { of: 'output', loss: ctx.loss, perLayer: true });
        const last = g.layers?.at(-1);
        if (last === undefined) throw new ConfigError('metrics', 'population-gram found no parametrised layer in the model');
        let maxAbsDiff = 0;
        let maxAbsK = 0;
        for (let i = 0; i < k.matrix.length; i++) {
          maxAbsDiff = Math.max(maxAbsDiff, Math.abs(last.matrix[i]! - k.matrix[i]!));
          maxAbsK = Math.max(maxAbsK, Math.abs(k.matrix[i]!));
        }
        const eigenvalues = symmetricEigenvalues({ size: g.size, matrix: last.matrix }, 'last-layer Gram');
        const lambdaMinLast = eigenvalues[0]!;
        return {
          n: spec.n,
          activation,
          depth,
          architecture,
          lambda0: k.lambda0,
          lambdaMinLast,
          // λ_max sets the float32 resolution of λ_min: the Gram is built from float32 gradients.
          lambdaMaxLast: eigenvalues.at(-1)!,
          lambdaRatio: lambdaMinLast / k.lambda0,
          maxAbsDiff,
          relativeMaxAbsDiff: maxAbsDiff / maxAbsK,
          layer: `W(${g.layers!.length})`,
          path: last.path,
          seconds: (Date.now() - started) / 1000,
        };
      });
    },
  }),
  async measure(spec, ctx) {
    // K⁽ᴴ⁾ alone, of inputs drawn from the measurement's stream (the model's G⁽ᴴ⁾: `spectrum` or `gram` with `layers`).
    const rows = measureRows(ctx, spec.n);
    const size = ctx.data.train.x.length / ctx.data.train.n;
    const k = populationGram(
      Array.from(rows, (r) => ctx.data.train.x.subarray(r * size, (r + 1) * size)),
      settingsOf(spec),
    );
    return { summary: { size: k.size, lambda0: k.lambda0, cSigma: k.cSigma, activation: k.activation, depth: k.depth, architecture: k.architecture, method: k.method }, gram: k, rows };
  },
  requirements: (spec, data) => checkExamples(spec.n, data),
  needsLoss: false,
  doc: {
    measures: "Du et al.'s population Gram K⁽ᴴ⁾ of n fixed inputs and λ₀ = λ_min(K⁽ᴴ⁾), against the net's last-layer Gram G⁽ᴴ⁾ on the same inputs (du-mlp and du-resnet runs)",
    options: '`n` (64), `seed` (0), `start` (default **true**), `end` (default false); `activation`, `depth`, `architecture` and `cRes` come from the du-mlp or du-resnet architecture',
    record: '`n`, `activation`, `depth`, `architecture`, `lambda0`, `lambdaMinLast` (λ_min of G⁽ᴴ⁾), `lambdaMaxLast`, `lambdaRatio`, `maxAbsDiff` (max |G⁽ᴴ⁾ − K⁽ᴴ⁾|), `relativeMaxAbsDiff`, `layer`, `path`, `seconds`',
  },
});
