import { z } from 'zod';
import { gradientGram } from '../gram/engine';
import { DEFAULT_GRAM_EXAMPLES, defineMetric, finite, rngFor, sampleRows, scheduleKeys, scheduleOf, withBatch } from '../metric-definition';
import { checkExamples, gramKeys, gramSampleKeys, gramSummary, measureGram, measureRows } from './gram';
import { paperLayerSpectra, spectrum, spectrumExtremes } from '../spectrum';

export const spectrumMetric = defineMetric({
  name: 'spectrum',
  schema: z.strictObject({
    name: z.literal('spectrum'),
    ...scheduleKeys,
    ...gramSampleKeys,
    ...gramKeys,
    /** Per-layer Grams too: each layer's trace share and its own λ_min, λ_max, named W(1) … W(H). */
    layers: z.boolean().default(false),
    /** Write every eigenvalue into the record, not only λ_min, λ_max, κ. */
    eigenvalues: z.boolean().default(false),
    /** The examples are fixed across measurements, drawn once from this seed, so G(k) is comparable over k. */
    seed: z.number().int().default(0),
  }),
  hook: (spec) => ({
    name: spec.name,
    schedule: scheduleOf(spec),
    run(ctx) {
      const started = Date.now();
      return withBatch(ctx.data, sampleRows(ctx.data, spec.n, rngFor(ctx, spec.seed, spec.name), spec.name), async (batch) => {
        const g = await gradientGram(ctx.model, batch, { of: spec.of, loss: ctx.loss, ...(spec.outputs ? { outputs: spec.outputs } : {}), ...(spec.method ? { method: spec.method } : {}), perLayer: spec.layers });
        // Only λ_min and λ_max are recorded unless every eigenvalue is asked for: Lanczos then.
        const s = spec.eigenvalues ? spectrum(g) : { ...spectrumExtremes(g), eigenvalues: undefined };
        return {
          n: spec.n,
          of: spec.of,
          lambdaMin: s.lambdaMin,
          lambdaMax: s.lambdaMax,
          condition: finite(s.condition),
          trace: s.trace,
          ...(s.layers !== undefined ? { layers: paperLayerSpectra(s.layers) } : {}),
          ...(s.eigenvalues !== undefined ? { eigenvalues: Array.from(s.eigenvalues) } : {}),
          method: g.method,
          seconds: (Date.now() - started) / 1000,
        };
      });
    },
  }),
  async measure(spec, ctx) {
    const rows = measureRows(ctx, spec.n);
    const g = await measureGram(ctx, rows, spec);
    // Every eigenvalue in a one-shot measurement (the float64 solver; minutes at n in the thousands).
    ctx.progress?.('eigenvalues', 0, 1);
    const s = spectrum(g);
    ctx.progress?.('eigenvalues', 1, 1);
    return {
      summary: { ...gramSummary(g), lambdaMin: s.lambdaMin, lambdaMax: s.lambdaMax, condition: finite(s.condition), eigenvalues: Array.from(s.eigenvalues), ...(s.layers ? { layers: s.layers } : {}) },
      gram: g,
      rows,
    };
  },
  requirements: (spec, data) => checkExamples(spec.n, data),
  // The NTK is the Gram of the network's outputs; only the loss Gram involves the loss.
  needsLoss: (spec) => spec.of === 'loss',
  doc: {
    measures: "the spectrum of the Gram of n fixed training examples: the empirical NTK (Du et al.'s G(k)) or the loss Gram; per layer with `layers`",
    options: `\`n\` (${DEFAULT_GRAM_EXAMPLES}), \`of\` (\`output\`: the NTK; or \`loss\`), \`method\` (\`auto\`), \`outputs\` (\`trace\`), \`layers\` (false), \`eigenvalues\` (false), \`seed\` (0; examples fixed so G(k) is comparable over k)`,
    record:
      '`n`, `of`, `lambdaMin`, `lambdaMax`, `condition`, `trace`, `method`, `seconds`; with `layers`: `layers: { "W(1)": { path, trace, traceShare, lambdaMin, lambdaMax }, … }` (W(1) … W(H) in order of depth, each a parametrised layer with its bias; `path` is its parameter path); with `eigenvalues`: `eigenvalues`',
  },
});
