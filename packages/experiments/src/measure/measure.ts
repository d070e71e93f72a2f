import { createRng, gatherBatch, ConfigError, type Dataset } from '@overparam/core';
import type { PreparedRun } from '../run/prepare';
import {
  cosineFields,
  dataGeometry,
  gradientConfusion,
  gradientGram,
  minibatchConfusion,
  populationActivations,
  populationGram,
  spectrum,
  type GramResult,
  type PopulationActivation,
  type PopulationArchitecture,
} from '@overparam/metrics';

/** What `overparam measure` can compute; each is a function of @overparam/metrics. */
export const measureMetrics = ['loss-gram', 'ntk-gram', 'confusion', 'minibatch-confusion', 'spectrum', 'population-gram', 'data-geometry'] as const;
export type MeasureMetric = (typeof measureMetrics)[number];

export interface MeasureOptions {
  readonly metric: MeasureMetric;
  /** Examples for the Gram metrics. */
  readonly n: number;
  readonly pairs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** What the spectrum's Gram is of. */
  readonly of: 'output' | 'loss';
  /** The NTK of k outputs as its n×n trace or the full kn×kn matrix. */
  readonly outputs: 'trace' | 'full';
  /** Gram metrics: auto | fast | loop; minibatch-confusion: direct (default) | gram. */
  readonly method: string;
  readonly perLayer: boolean;
}

/** The examples a measurement used: rows of the training split, as the model received them. */
export interface MeasuredExamples {
  readonly indices: Int32Array;
  readonly inputs: Float32Array;
  readonly inputShape: readonly number[];
  /** Class labels (classification) or real targets (regression), row-major. */
  readonly targets: Int32Array | Float32Array;
  /** The minibatch pairs, as indices into the split. */
  readonly pairs?: ReadonlyArray<readonly [Int32Array, Int32Array]>;
}

export interface Measurement {
  readonly summary: Record<string, unknown>;
  readonly gram?: { readonly size: number; readonly matrix: Float64Array };
  readonly examples: MeasuredExamples;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function examplesAt(data: Dataset, indices: Int32Array): MeasuredExamples {
  const size = data.inputShape.reduce((a, b) => a * b, 1);
  const inputs = new Float32Array(indices.length * size);
  indices.forEach((r, i) => inputs.set(data.train.x.subarray(r * size, (r + 1) * size), i * size));
  const dim = data.task === 'classification' ? 1 : (data.targetDim ?? data.train.y.length / data.train.n);
  const targets = data.task === 'classification' ? new Int32Array(indices.length) : new Float32Array(indices.length * dim);
  indices.forEach((r, i) => targets.set(data.train.y.subarray(r * dim, (r + 1) * dim), i * dim));
  return { indices, inputs, inputShape: data.inputShape, targets };
}

function gramSummary(g: GramResult): Record<string, unknown> {
  let trace = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < g.size; i++) trace += g.matrix[i * g.size + i]!;
  for (const v of g.matrix) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { size: g.size, trace, minEntry: min, maxEntry: max, method: g.method, training: g.training, params: g.params.length, ...(g.fallbackReason ? { fallbackReason: g.fallbackReason } : {}) };
}

/**
 * The architectures the population Gram K⁽ᴴ⁾ is defined for, and which recursion each takes: Du et
 * al.'s scaled fully connected net and their ResNet (Du et al. 2019, §5–6). Any other network
 * would silently get one of these kernels.
 */
const populationKernels = { 'du-mlp': 'fully-connected', 'du-resnet': 'resnet' } as const satisfies Record<string, PopulationArchitecture>;
export const populationGramArchitectures = Object.keys(populationKernels) as ReadonlyArray<keyof typeof populationKernels>;

export function populationSettings(run: Pick<PreparedRun, 'config' | 'modelOptions'>): { activation: PopulationActivation; depth: number; architecture: PopulationArchitecture; cRes?: number } {
  if (!(populationGramArchitectures as readonly string[]).includes(run.config.arch)) {
    throw new ConfigError(
      'arch',
      `population-gram is the limit kernel of Du et al.'s scaled net (${populationGramArchitectures.join(', ')}); it is not defined for '${run.config.arch}', use --arch ${populationGramArchitectures[0]}`,
    );
  }
  const o = run.modelOptions as { activation?: unknown; depth?: unknown };
  const activation = String(o.activation ?? 'relu');
  if (!(populationActivations as readonly string[]).includes(activation)) throw new ConfigError('archOptions.activation', `population-gram needs one of ${populationActivations.join(', ')}, got '${activation}'`);
  if (typeof o.depth !== 'number') throw new ConfigError('arch', `population-gram takes the depth H from the architecture's 'depth' option, which ${run.config.arch} does not have`);
  const architecture = populationKernels[run.config.arch as keyof typeof populationKernels];
  const cRes = (run.modelOptions as { cRes?: unknown }).cRes;
  return { activation: activation as PopulationActivation, depth: o.depth, architecture, ...(typeof cRes === 'number' ? { cRes } : {}) };
}

/** Runs one metric on a prepared run (its model as initialized or as loaded from a checkpoint). */
export async function measure(run: PreparedRun, options: MeasureOptions): Promise<Measurement> {
  const { model, data, loss } = run;
  const rng = createRng(options.seed).fork('measure');
  if (options.metric === 'minibatch-confusion') {
    if (!['auto', 'direct', 'gram'].includes(options.method)) throw new ConfigError('method', `minibatch-confusion computes minibatch gradients 'direct' (default) or by the 'gram' engine, not '${options.method}'`);
    const method = options.method === 'gram' ? 'gram' : 'direct';
    const m = await minibatchConfusion(model, data, { pairs: options.pairs, batchSize: options.batchSize, loss, rng, method });
    const used = Int32Array.from(new Set(m.rows.flatMap((r) => Array.from(r)))).sort();
    return {
      summary: { pairs: m.pairs, batchSize: m.batchSize, method, eta: m.eta, etaNormalized: finite(m.etaNormalized), ...cosineFields(m.summary), cosineValues: Array.from(m.cosines, finite) },
      examples: { ...examplesAt(data, used), pairs: m.rows.map((r) => [r.subarray(0, m.batchSize), r.subarray(m.batchSize)] as const) },
    };
  }
  if (options.n > data.train.n) throw new ConfigError('n', `${options.n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  const indices = rng.sampleWithoutReplacement(data.train.n, options.n);
  const examples = examplesAt(data, indices);
  if (options.metric === 'data-geometry') {
    // The inputs alone (Sankararaman et al. (2020), appendix Lemma B.1); no model, loss or Gram.
    const g = dataGeometry(examples.inputs, options.n);
    return { summary: Object.fromEntries(Object.entries(g).map(([k, v]) => [k, finite(v)])), examples };
  }
  if (options.metric === 'population-gram') {
    const p = populationGram(
      Array.from({ length: options.n }, (_, i) => examples.inputs.subarray(i * (examples.inputs.length / options.n), (i + 1) * (examples.inputs.length / options.n))),
      populationSettings(run),
    );
    return { summary: { size: p.size, lambda0: p.lambda0, cSigma: p.cSigma, activation: p.activation, depth: p.depth, architecture: p.architecture, method: p.method }, gram: p, examples };
  }

  if (!['auto', 'fast', 'loop'].includes(options.method)) throw new ConfigError('method', `the Gram engine runs 'auto', 'fast' or 'loop', not '${options.method}'`);
  const of = options.metric === 'ntk-gram' || (options.metric === 'spectrum' && options.of === 'output') ? 'output' : 'loss';
  const batch = gatherBatch(data, data.train, indices);
  let g: GramResult;
  try {
    g = await gradientGram(model, batch, { of, loss, outputs: options.outputs, method: options.method as 'auto' | 'fast' | 'loop', perLayer: options.perLayer });
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
  const layers = g.layers?.map((l) => ({ path: l.path, kind: l.kind, trace: Array.from({ length: g.size }, (_, i) => l.matrix[i * g.size + i]!).reduce((a, b) => a + b, 0) }));
  const base = { of, ...gramSummary(g), ...(layers ? { layers } : {}) };
  if (options.metric === 'confusion') {
    const c = gradientConfusion(g);
    return { summary: { ...base, eta: c.eta, minInner: c.minInner, averagedInner: c.averagedInner, etaNormalized: finite(c.etaNormalized), ...cosineFields(c.cosines), undefinedPairs: c.undefinedPairs }, gram: g, examples };
  }
  if (options.metric === 'spectrum') {
    const s = spectrum(g);
    return {
      summary: {
        ...base,
        lambdaMin: s.lambdaMin,
        lambdaMax: s.lambdaMax,
        condition: finite(s.condition),
        eigenvalues: Array.from(s.eigenvalues),
        ...(s.layers ? { layers: s.layers } : {}),
      },
      gram: g,
      examples,
    };
  }
  return { summary: base, gram: g, examples };
}
