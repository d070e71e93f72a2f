import { ConfigError, resolveLoss, type Model } from '@overparam/core';
import { batchNormHandler } from './batchnorm';
import { convHandler } from './conv';
import { denseHandler } from './dense';
import { BatchNormTrainingError, GramUnsupportedError } from './errors';
import { fastMemberGrams, type MemberGrams } from './fast';
import type { TapHandler } from './handlers';
import { checkGroups, contractGroups, exampleLayout, groupLayout, outputLayout } from './layout';
import { loopUnitGrams, type LoopUnit } from './loop';
import { planGram } from './plan';
import { gramMethods, type GramBatch, type GramOptions, type GramResult, type LayerGram } from './types';

const handlers: ReadonlyMap<string, TapHandler> = new Map([denseHandler, convHandler, batchNormHandler].map((h) => [h.kind, h]));

/** Primitive kinds the fast path knows. */
export function fastGramKinds(): string[] {
  return [...handlers.keys()];
}

const DEFAULT_BUDGET = 2 ** 25;

/** R_ij = Σ_c K_(ik+c),(jk+c): the trace over outputs of a loop over (example, output) units. */
function traceOutputs(k: Float64Array, n: number, outputs: number): Float64Array {
  const side = n * outputs;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let c = 0; c < outputs; c++) out[i * n + j]! += k[(i * outputs + c) * side + j * outputs + c]!;
  return out;
}

function validate(model: Model, batch: GramBatch, options: GramOptions): void {
  const of = options.of ?? 'loss';
  if (of !== 'loss' && of !== 'output') throw new ConfigError('of', `must be 'loss' or 'output', got '${String(of)}'`);
  if (batch.x.rank < 2 || batch.x.shape[0] === 0) throw new ConfigError('x', `needs a batch of at least one example, got shape [${batch.x.shape}]`);
  if (of === 'loss') {
    if (options.loss === undefined) throw new ConfigError('loss', "is required for of: 'loss' (e.g. 'softmax-cross-entropy')");
    if (batch.y === undefined) throw new ConfigError('y', "targets are required for of: 'loss'");
    if (batch.y.shape[0] !== batch.x.shape[0]) throw new ConfigError('y', `has ${batch.y.shape[0]} rows for ${batch.x.shape[0]} inputs`);
  }
  if (options.groups !== undefined) {
    if (of !== 'loss') throw new ConfigError('groups', "only apply to of: 'loss' (minibatch mean-loss gradients)");
    checkGroups(options.groups, batch.x.shape[0]!);
  }
  const method = options.method ?? 'auto';
  if (!(gramMethods as readonly string[]).includes(method)) throw new ConfigError('method', `must be one of ${gramMethods.map((m) => `'${m}'`).join(', ')}, got '${method}'`);
  if (options.memoryBudget !== undefined && !(options.memoryBudget >= 1)) throw new ConfigError('memoryBudget', `must be a positive number of float32 values, got ${options.memoryBudget}`);
  void model;
}

/**
 * The gradient Gram G_ij = ⟨∇θ f_i, ∇θ f_j⟩ (float64), in total and optionally per layer. See
 * GramOptions for what f is. `auto` takes the fast path (one forward and one backward pass per
 * chunk, per-layer products) whenever every included parameter belongs to a primitive with a
 * per-example rule, and the per-example loop otherwise; the result says which ran and why.
 */
export async function gradientGram(model: Model, batch: GramBatch, options: GramOptions = {}): Promise<GramResult> {
  validate(model, batch, options);
  const of = options.of ?? 'loss';
  const n = batch.x.shape[0]!;
  const groups = options.groups;
  const training = options.training ?? groups !== undefined;
  const loss = of === 'loss' ? resolveLoss(options.loss!) : undefined;
  const outputs = of === 'output' ? model.outputShape.reduce((a, b) => a * b, 1) : 1;
  const mode = options.outputs ?? 'trace';
  const plan = planGram(model, batch.x, handlers, options.includeFrozen ?? false);
  if (training && plan.hasBatchNorm && groups === undefined) throw new BatchNormTrainingError(of === 'loss' ? 'the per-example loss Gram' : 'the empirical NTK');

  const method = options.method ?? 'auto';
  if (method === 'fast' && plan.unsupported !== undefined) throw new GramUnsupportedError(plan.unsupported);
  const fast = method !== 'loop' && plan.unsupported === undefined;
  const perLayer = options.perLayer ?? false;
  const inputs = { x: batch.x, y: batch.y, loss, training };

  let grams: MemberGrams;
  let size: number;
  let layerInfo: ReadonlyArray<{ path: string; kind: string; params: readonly string[] }>;
  if (fast) {
    // Batch-norm in training mode couples a group's examples, so each group is then its own pass.
    const layout = groups !== undefined ? groupLayout(groups, training && plan.hasBatchNorm) : of === 'output' ? outputLayout(n, outputs, mode) : exampleLayout(n);
    grams = await fastMemberGrams(model, plan, inputs, layout, options.memoryBudget ?? DEFAULT_BUDGET, perLayer, options.onProgress);
    if (layout.groupStarts !== undefined) {
      const starts = layout.groupStarts;
      const m = layout.rows.length;
      grams = { total: contractGroups(grams.total, m, starts), ...(grams.layers ? { layers: grams.layers.map((k) => contractGroups(k, m, starts)) } : {}) };
    }
    size = layout.size;
    layerInfo = plan.taps.map((t) => ({ path: t.info.path, kind: t.info.kind, params: Object.values(t.info.paramPaths) }));
  } else {
    const units: LoopUnit[] =
      groups !== undefined
        ? groups.map((g) => ({ rows: Int32Array.from(g) }))
        : of === 'output'
          ? Array.from({ length: n * outputs }, (_, u) => ({ rows: Int32Array.of(Math.floor(u / outputs)), output: u % outputs }))
          : Array.from({ length: n }, (_, i) => ({ rows: Int32Array.of(i) }));
    grams = await loopUnitGrams(model, plan, inputs, units, perLayer, options.onProgress);
    if (of === 'output' && mode === 'trace' && outputs > 1) {
      grams = { total: traceOutputs(grams.total, n, outputs), ...(grams.layers ? { layers: grams.layers.map((k) => traceOutputs(k, n, outputs)) } : {}) };
    }
    size = of === 'output' && mode === 'full' ? n * outputs : groups !== undefined ? groups.length : n;
    layerInfo = plan.layers;
  }

  const layers: LayerGram[] | undefined = grams.layers?.map((matrix, l) => ({ ...layerInfo[l]!, matrix }));
  return {
    size,
    matrix: grams.total,
    ...(layers === undefined ? {} : { layers }),
    of,
    method: fast ? 'fast' : 'loop',
    ...(!fast && method === 'auto' ? { fallbackReason: plan.unsupported } : {}),
    training,
    outputs,
    params: plan.params.map((p) => p.path),
  };
}
