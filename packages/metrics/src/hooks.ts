import { ConfigError, createRng, gatherBatch, type Dataset, type Hook, type HookContext, type HookSchedule, type Rng } from '@overparam/core';
import { balancednessHook } from './balancedness';
import { gradientConfusion, type CosineSummary } from './confusion';
import { gradientGram } from './gram/engine';
import type { MetricSpec } from './metric-spec';
import { minibatchConfusion } from './minibatch';
import { optimalLossHook } from './optimal-loss';
import { spectrum, spectrumExtremes } from './spectrum';
import { weightMovementHook } from './weight-movement';

/**
 * Every metric as a core training Hook: a name (the `kind` of its metrics.jsonl records), a
 * schedule, and `run`, which measures the model as it is at that step and returns numbers.
 */

/** JSON has no NaN or Infinity; write null so a reader sees "not defined" rather than a silent 0. */
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** minCos, meanCos, medianCos, maxCos, fractionNegative, cosP05 … (the names measure.json uses too). */
export function cosineFields(s: CosineSummary): Record<string, number | null> {
  const out: Record<string, number | null> = {
    cosines: s.count,
    minCos: finite(s.min),
    meanCos: finite(s.mean),
    medianCos: finite(s.median),
    maxCos: finite(s.max),
    fractionNegative: finite(s.fractionNegative),
  };
  for (const [k, v] of Object.entries(s.quantiles)) out[`cos${k.toUpperCase()}`] = finite(v);
  return out;
}

function scheduleOf(spec: { every?: number; epochs?: number; start: boolean; end: boolean }): HookSchedule {
  return { everySteps: spec.every, everyEpochs: spec.epochs, atStart: spec.start, atEnd: spec.end };
}

/** n distinct training examples: fixed by `seed` when given, else fresh from the hook's stream. */
function sampleRows(data: Dataset, n: number, rng: Rng, name: string): Int32Array {
  if (n > data.train.n) throw new RangeError(`${name}: n = ${n} exceeds the ${data.train.n} training examples of '${data.name}'`);
  return rng.sampleWithoutReplacement(data.train.n, n);
}

async function exampleConfusion(ctx: HookContext, n: number, rng: Rng) {
  const started = Date.now();
  const batch = gatherBatch(ctx.data, ctx.data.train, sampleRows(ctx.data, n, rng, 'confusion'));
  try {
    const g = await gradientGram(ctx.model, batch, { loss: ctx.loss });
    const c = gradientConfusion(g);
    return {
      n,
      eta: c.eta,
      minInner: c.minInner,
      averagedInner: c.averagedInner,
      etaNormalized: finite(c.etaNormalized),
      ...cosineFields(c.cosines),
      method: g.method,
      training: g.training,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    batch.x.dispose();
    batch.y.dispose();
  }
}

async function pairConfusion(ctx: HookContext, pairs: number, batchSize: number, rng: Rng, method: 'direct' | 'gram', values = false) {
  const started = Date.now();
  const m = await minibatchConfusion(ctx.model, ctx.data, { pairs, batchSize, loss: ctx.loss, rng, method });
  return {
    pairs,
    batchSize,
    eta: m.eta,
    etaNormalized: finite(m.etaNormalized),
    ...cosineFields(m.summary),
    ...(values ? { cosineValues: Array.from(m.cosines, finite) } : {}),
    method,
    seconds: (Date.now() - started) / 1000,
  };
}

/** A fixed seed gives the same draw every time; otherwise the hook's per-step stream is used. */
function rngFor(ctx: HookContext, seed: number | undefined, name: string): Rng {
  return seed === undefined ? ctx.rng : createRng(`${name}/${seed}`);
}

/**
 * Skips a call at a step already measured for the same model: a run whose last step is a
 * multiple of `every` would otherwise measure it twice (once on schedule, once at the end).
 */
function oncePerStep(hook: Hook): Hook {
  const lastStep = new WeakMap<object, number>();
  return {
    ...hook,
    run(ctx) {
      if (lastStep.get(ctx.model) === ctx.step) return undefined;
      lastStep.set(ctx.model, ctx.step);
      return hook.run(ctx);
    },
  };
}

export function metricHook(spec: MetricSpec): Hook {
  return oncePerStep(buildHook(spec));
}

function buildHook(spec: MetricSpec): Hook {
  const schedule = scheduleOf(spec);
  switch (spec.name) {
    case 'confusion':
      return {
        name: spec.name,
        schedule,
        run: (ctx) => {
          const rng = rngFor(ctx, spec.seed, spec.name);
          return spec.pairs !== undefined ? pairConfusion(ctx, spec.pairs, spec.batchSize ?? 128, rng, 'direct') : exampleConfusion(ctx, spec.n ?? 256, rng);
        },
      };
    case 'minibatch-confusion':
      return { name: spec.name, schedule, run: (ctx) => pairConfusion(ctx, spec.pairs, spec.batchSize, rngFor(ctx, spec.seed, spec.name), spec.method, spec.values) };
    case 'spectrum':
      return {
        name: spec.name,
        schedule,
        async run(ctx) {
          const started = Date.now();
          const batch = gatherBatch(ctx.data, ctx.data.train, sampleRows(ctx.data, spec.n, rngFor(ctx, spec.seed, spec.name), spec.name));
          try {
            const g = await gradientGram(ctx.model, batch, { of: spec.of, loss: ctx.loss, perLayer: spec.layers });
            // Only λ_min and λ_max are recorded unless every eigenvalue is asked for: Lanczos then.
            const s = spec.eigenvalues ? spectrum(g, { layerEigenvalues: false }) : { ...spectrumExtremes(g, { layerEigenvalues: false }), eigenvalues: undefined };
            return {
              n: spec.n,
              of: spec.of,
              lambdaMin: s.lambdaMin,
              lambdaMax: s.lambdaMax,
              condition: finite(s.condition),
              trace: s.trace,
              ...(s.layers !== undefined ? { layers: Object.fromEntries(s.layers.map((l) => [l.path, { trace: l.trace, traceShare: l.traceShare }])) } : {}),
              ...(s.eigenvalues !== undefined ? { eigenvalues: Array.from(s.eigenvalues) } : {}),
              method: g.method,
              seconds: (Date.now() - started) / 1000,
            };
          } finally {
            batch.x.dispose();
            batch.y.dispose();
          }
        },
      };
    case 'weight-movement':
      return weightMovementHook({ schedule: { everySteps: spec.every, everyEpochs: spec.epochs, atEnd: spec.end } });
    case 'balancedness':
      return balancednessHook({ schedule, matrix: spec.matrix });
    case 'optimal-loss':
      return { ...optimalLossHook(), schedule };
  }
}

/**
 * Sizes a data set must have for each spec, checked before training starts rather than at the
 * first measurement: `n` examples, or two disjoint minibatches.
 */
export function checkMetricSpecs(specs: readonly MetricSpec[], data: Dataset): void {
  const available = data.train.n;
  specs.forEach((spec, i) => {
    if ((spec.name === 'confusion' || spec.name === 'spectrum') && spec.n !== undefined && spec.n > available) {
      throw new ConfigError(`metrics.${i}.n`, `${spec.n} exceeds the ${available} training examples of '${data.name}'`);
    }
    const batchSize = spec.name === 'minibatch-confusion' || (spec.name === 'confusion' && spec.pairs !== undefined) ? (spec.batchSize ?? 128) : undefined;
    if (batchSize !== undefined && 2 * batchSize > available) {
      throw new ConfigError(`metrics.${i}.batchSize`, `a pair of minibatches of ${batchSize} needs ${2 * batchSize} distinct examples, but '${data.name}' has ${available}`);
    }
  });
}

/** Hooks for a run's `metrics` list (validated with `parseMetricSpecs`); with `data`, sizes are checked too. */
export function metricHooks(specs: readonly MetricSpec[], data?: Dataset): Hook[] {
  if (data !== undefined) checkMetricSpecs(specs, data);
  return specs.map(metricHook);
}

