import { ShapeError, type Hook, type HookSchedule, type Model } from '@overparam/core';

/** Parameter values as `Model.readWeights()` returns them (layer order). */
export type WeightSnapshot = ReturnType<Model['readWeights']>;

export interface Movement {
  /** ‖W(k) − W(0)‖_F, in float64. */
  readonly distance: number;
  /** ‖W(0)‖_F. */
  readonly initialNorm: number;
  /** distance / initialNorm; null when W(0) = 0 (zero-initialised biases), where it is undefined. */
  readonly ratio: number | null;
}

export interface ParamMovement extends Movement {
  /** The parameter's dotted path, e.g. `2.w`. */
  readonly path: string;
}

export interface LayerMovement extends Movement {
  /** The layer's path: the parameter path without its last key (`2` for `2.w` and `2.b`). */
  readonly layer: string;
}

export interface WeightMovement {
  /** One entry per parameter, in layer order. */
  readonly params: readonly ParamMovement[];
  /** Parameters grouped by layer (weights and bias together), in layer order. */
  readonly layers: readonly LayerMovement[];
  /** All parameters together. */
  readonly total: Movement;
}

function movement(sqDistance: number, sqNorm: number): Movement {
  const distance = Math.sqrt(sqDistance);
  const initialNorm = Math.sqrt(sqNorm);
  return { distance, initialNorm, ratio: initialNorm > 0 ? distance / initialNorm : null };
}

function layerOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? '' : path.slice(0, dot);
}

/**
 * How far each parameter has moved from a snapshot: ‖W(k) − W(0)‖_F and its ratio to ‖W(0)‖_F
 * (Du et al. keep every layer near its initialization, Du et al. (2019), §2). `current` is a model (read
 * once, no tensors created) or a second snapshot. Sums run in float64 over float32 values, so the
 * differences themselves are exact.
 */
export function weightMovement(current: Model | WeightSnapshot, initial: WeightSnapshot): WeightMovement {
  const now = Array.isArray(current) ? (current as WeightSnapshot) : (current as Model).readWeights();
  const byPath = new Map(initial.map((w) => [w.path, w]));
  if (now.length !== initial.length) {
    throw new ShapeError(`weight movement: the snapshot has ${initial.length} parameters, the model ${now.length}; take the snapshot from this model`);
  }
  const params: ParamMovement[] = [];
  const layerSums = new Map<string, { d: number; n: number }>();
  let totalD = 0;
  let totalN = 0;
  for (const w of now) {
    const w0 = byPath.get(w.path);
    if (w0 === undefined) throw new ShapeError(`weight movement: the snapshot has no parameter '${w.path}'; take it from this model`);
    if (w0.values.length !== w.values.length) {
      throw new ShapeError(`weight movement: parameter '${w.path}' has ${w.values.length} values, its snapshot ${w0.values.length}`);
    }
    let d = 0;
    let n = 0;
    for (let i = 0; i < w.values.length; i++) {
      const x0 = w0.values[i]!;
      const diff = w.values[i]! - x0;
      d += diff * diff;
      n += x0 * x0;
    }
    params.push({ path: w.path, ...movement(d, n) });
    const layer = layerOf(w.path);
    const sums = layerSums.get(layer) ?? { d: 0, n: 0 };
    layerSums.set(layer, { d: sums.d + d, n: sums.n + n });
    totalD += d;
    totalN += n;
  }
  const layers = [...layerSums].map(([layer, s]) => ({ layer, ...movement(s.d, s.n) }));
  return { params, layers, total: movement(totalD, totalN) };
}

export interface WeightMovementHookOptions {
  /** When to measure after the start (the snapshot is always taken at the start). Default: at the end. */
  readonly schedule?: Omit<HookSchedule, 'atStart'>;
  /** Record name. Default `weight-movement`. */
  readonly name?: string;
  /** W(0) to compare against instead of the weights at the start of the run (e.g. when resuming). */
  readonly initial?: WeightSnapshot;
}

/**
 * Weight movement as a training hook. It runs at the start, where it snapshots W(0) (kept per
 * model, so one hook can serve several models), and on its schedule, where it writes the total
 * movement and, per layer, `distance`, `ratio` and `initialNorm` into the run's records.
 */
export function weightMovementHook(options: WeightMovementHookOptions = {}): Hook {
  const snapshots = new WeakMap<Model, WeightSnapshot>();
  return {
    name: options.name ?? 'weight-movement',
    schedule: { atEnd: true, ...options.schedule, atStart: true },
    async run(ctx) {
      // Read without blocking: on WebGL/WebGPU a synchronous read stalls the page for the whole pipeline.
      const now = await ctx.model.readWeightsAsync();
      // Step 0 is the start of a run: W(0) is now. A first call later (a run resumed mid-way,
      // without `initial`) has nothing better than the current weights.
      let initial = snapshots.get(ctx.model);
      if (ctx.step === 0 || initial === undefined) {
        initial = options.initial ?? now;
        snapshots.set(ctx.model, initial);
      }
      const m = weightMovement(now, initial);
      // Frozen layers (Du et al.'s output a) never move: left out. The others are numbered in forward
      // order, W(1) … W(H), as the spectrum metric names them (paperLayerSpectra).
      const trainable = new Set(ctx.model.parameters.filter((p) => p.trainable).map((p) => layerOf(p.path)));
      const moving = m.layers.filter((l) => trainable.has(l.layer));
      return {
        distance: m.total.distance,
        ratio: m.total.ratio,
        initialNorm: m.total.initialNorm,
        layers: Object.fromEntries(moving.map((l, i) => [l.layer, { index: i + 1, distance: l.distance, ratio: l.ratio, initialNorm: l.initialNorm }])),
      };
    },
    // W(0) travels with the run's checkpoints, so a resumed run measures from the true start.
    async saveState(model) {
      const initial = snapshots.get(model);
      if (initial === undefined) return [];
      return initial.map((w) => ({ name: `initial/${w.path}`, shape: [...w.shape], dtype: 'float32' as const, values: w.values }));
    },
    loadState(model, state) {
      if (state.length === 0) return;
      snapshots.set(
        model,
        state.map((a) => ({ path: a.name.replace(/^initial\//, ''), shape: a.shape, values: a.values as Float32Array })),
      );
    },
  };
}
