import { ConfigError, createRng, type Dataset } from '@overparam/core';
import { z } from 'zod';
import { DEFAULT_GRAM_EXAMPLES, defineMetric, scheduleKeys, scheduleOf } from '../metric-definition';
import { checkExamples, measureRows } from './gram';

/**
 * How close to orthogonal the training inputs are: Sankararaman et al.'s (2020), appendix Lemma B.1 (after Milman &
 * Schechtman) says that for N vectors drawn uniformly from the unit sphere in d dimensions and
 * any ν > 0,
 *
 *     Pr[∃ i ≠ j: |x_iᵀx_j| > ν] ≤ N²·√(π/8)·exp(−(d − 1)ν²/2),
 *
 * so the largest off-diagonal inner product is of order √(log N / d). We measure that largest
 * |⟨x_i, x_j⟩| (i ≠ j, the diagonal left out), its cosine version (the lemma's vectors are unit
 * vectors; other data are compared through it), the mean |⟨x_i, x_j⟩|, the mean ‖x_i‖², and the
 * lemma's ν at a failure probability δ. Everything in float64 on the inputs as stored; no model.
 */
export interface DataGeometry {
  readonly n: number;
  /** Dimension of a flattened input. */
  readonly d: number;
  /** max_{i≠j} |⟨x_i, x_j⟩|. */
  readonly maxAbsInner: number;
  /** Mean of |⟨x_i, x_j⟩| over the pairs i ≠ j. */
  readonly meanAbsInner: number;
  /** max_{i≠j} |⟨x_i, x_j⟩| / (‖x_i‖‖x_j‖), over pairs of non-zero inputs (NaN when there are none). */
  readonly maxAbsCosine: number;
  /** Mean ‖x_i‖². */
  readonly meanSquaredNorm: number;
  /** √(log n / d), the lemma's scale (natural log). */
  readonly scale: number;
  /** maxAbsInner / scale. */
  readonly ratio: number;
  /** The δ the bound is taken at. */
  readonly boundDelta: number;
  /** The lemma's ν at δ: with probability ≥ 1 − δ no pair of n uniform unit vectors exceeds it; √(2·ln(n²·√(π/8)/δ)/(d − 1)), Infinity at d = 1. */
  readonly bound: number;
  /** The lemma's right-hand side n²·√(π/8)·exp(−(d − 1)ν²/2) at ν = maxAbsCosine (≥ 1: the lemma says nothing there). */
  readonly boundProbability: number;
}

const LEMMA_CONSTANT = Math.sqrt(Math.PI / 8);

/** The geometry of n inputs of dimension d, row-major (`inputs.length` = n·d). */
export function dataGeometry(inputs: ArrayLike<number>, n: number, options: { readonly delta?: number } = {}): DataGeometry {
  if (!Number.isInteger(n) || n < 2) throw new ConfigError('n', `data geometry compares pairs of inputs; give at least 2, got ${n}`);
  if (inputs.length % n !== 0 || inputs.length === 0) throw new ConfigError('n', `${inputs.length} values are not ${n} inputs of one dimension`);
  const d = inputs.length / n;
  const delta = options.delta ?? 0.05;
  const x = Float64Array.from(inputs);
  const norms = new Float64Array(n);
  let squaredNorms = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = i * d; k < (i + 1) * d; k++) s += x[k]! * x[k]!;
    squaredNorms += s;
    norms[i] = Math.sqrt(s);
  }
  let maxAbs = 0;
  let sumAbs = 0;
  let maxCos = Number.NaN;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += x[i * d + k]! * x[j * d + k]!;
      const a = Math.abs(dot);
      maxAbs = Math.max(maxAbs, a);
      sumAbs += a;
      if (norms[i]! > 0 && norms[j]! > 0) {
        const c = a / (norms[i]! * norms[j]!);
        maxCos = Number.isNaN(maxCos) ? c : Math.max(maxCos, c);
      }
    }
  }
  const scale = Math.sqrt(Math.log(n) / d);
  const bound = d > 1 ? Math.sqrt((2 * Math.max(0, Math.log((n * n * LEMMA_CONSTANT) / delta))) / (d - 1)) : Infinity;
  return {
    n,
    d,
    maxAbsInner: maxAbs,
    meanAbsInner: sumAbs / ((n * (n - 1)) / 2),
    maxAbsCosine: maxCos,
    meanSquaredNorm: squaredNorms / n,
    scale,
    ratio: maxAbs / scale,
    boundDelta: delta,
    bound,
    boundProbability: n * n * LEMMA_CONSTANT * Math.exp((-(d - 1) * maxCos * maxCos) / 2),
  };
}

/** n training inputs drawn without replacement from `seed` (all of them when n is the split's size), flattened. */
export function trainingInputs(data: Dataset, n: number, seed: number): Float32Array {
  if (n > data.train.n) throw new ConfigError('n', `${n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  return inputsAt(data, createRng(`data-geometry/${seed}`).sampleWithoutReplacement(data.train.n, n));
}

/** JSON has no Infinity or NaN. */
const json = (g: DataGeometry): Record<string, number | null> => Object.fromEntries(Object.entries(g).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));

/** The inputs of the given training rows, flattened in their order. */
function inputsAt(data: Dataset, rows: Int32Array): Float32Array {
  const size = data.train.x.length / data.train.n;
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, i) => out.set(data.train.x.subarray(r * size, (r + 1) * size), i * size));
  return out;
}

export const dataGeometryMetric = defineMetric({
  name: 'data-geometry',
  schema: z.strictObject({
    name: z.literal('data-geometry'),
    ...scheduleKeys,
    // The inputs do not change while training: once, at the start, is enough.
    start: z.boolean().default(true),
    end: z.boolean().default(false),
    /** Training inputs compared (all pairs among them). */
    n: z.number().int().min(2).default(DEFAULT_GRAM_EXAMPLES),
    /** Draws the n inputs. */
    seed: z.number().int().default(0),
    /** The failure probability the lemma's ν (`bound`) is taken at. */
    delta: z.number().gt(0).lt(1).default(0.05),
  }),
  hook: (spec) => ({ name: spec.name, schedule: scheduleOf(spec), run: (ctx) => json(dataGeometry(trainingInputs(ctx.data, spec.n, spec.seed), spec.n, { delta: spec.delta })) }),
  measure: async (spec, ctx) => {
    // The inputs alone (no model, loss or Gram), drawn from the measurement's stream.
    const rows = measureRows(ctx, spec.n);
    return { summary: json(dataGeometry(inputsAt(ctx.data, rows), spec.n, { delta: spec.delta })), rows };
  },
  requirements: (spec, data) => checkExamples(spec.n, data),
  needsLoss: false,
  doc: {
    measures:
      "near-orthogonality of n training inputs (Sankararaman et al. (2020), appendix Lemma B.1: Pr[∃ i ≠ j: |x_iᵀx_j| > ν] ≤ N²·√(π/8)·exp(−(d − 1)ν²/2) for uniform unit vectors): the largest and mean off-diagonal |⟨x_i, x_j⟩| against √(log n / d); float64, no model",
    options: `\`n\` (${DEFAULT_GRAM_EXAMPLES}), \`seed\` (0), \`delta\` (0.05: the failure probability of \`bound\`), \`start\` (default **true**), \`end\` (default false)`,
    record: '`n`, `d`, `maxAbsInner`, `meanAbsInner`, `maxAbsCosine`, `meanSquaredNorm`, `scale` (√(log n / d)), `ratio` (maxAbsInner / scale), `bound` (the lemma\'s ν at δ), `boundDelta`, `boundProbability` (the lemma\'s bound at ν = maxAbsCosine)',
  },
});
