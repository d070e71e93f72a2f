import { tf, type Model, type ParamInfo, type TapEvent, type Tensor } from '@overparam/core';
import type { TapHandler, TapInfo } from './handlers';

/** What the fast path will do for a model, found by one forward pass of a single example. */
export interface GramPlan {
  /** Parameters the Gram includes, in layer order. */
  readonly params: readonly ParamInfo[];
  /** Taps that own included parameters, in call order, with the handler of each. */
  readonly taps: ReadonlyArray<{ readonly info: TapInfo; readonly handler: TapHandler }>;
  /** Why the fast path cannot run, if it cannot. */
  readonly unsupported?: string;
  /** Every included parameter grouped by the layer that owns it, in layer order (the per-layer split). */
  readonly layers: ReadonlyArray<{ readonly path: string; readonly kind: string; readonly params: readonly string[] }>;
  /** Whether any batch-norm tapped (its mode then matters for per-example quantities). */
  readonly hasBatchNorm: boolean;
  /** Float32 values one row keeps alive during a pass: tapped inputs and outputs (a lower bound). */
  readonly rowActivations: number;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Records what each tapped primitive is, without keeping tensors. */
function discoverTaps(model: Model, x: Tensor): TapEvent[] {
  const events: TapEvent[] = [];
  tf.tidy(() => {
    const first = tf.slice(x, 0, 1);
    model.apply(first, {
      training: false,
      recorder: {
        tap(event) {
          events.push(event);
          return event.output;
        },
      },
    });
  });
  return events;
}

export function planGram(model: Model, x: Tensor, handlers: ReadonlyMap<string, TapHandler>, includeFrozen: boolean): GramPlan {
  const params = model.parameters.filter((p) => p.trainable || includeFrozen);
  const included = new Set(params.map((p) => p.path));
  const events = discoverTaps(model, x);
  const hasBatchNorm = events.some((e) => e.kind === 'batchNorm');
  const rowActivations = events.reduce((s, e) => s + size(e.input.shape.slice(1)) + size(e.output.shape.slice(1)), 0);
  const problems: string[] = [];

  const owner = new Map<string, string>();
  const seenPaths = new Set<string>();
  const taps: Array<{ info: TapInfo; handler: TapHandler }> = [];
  for (const e of events) {
    if (seenPaths.has(e.path)) problems.push(`layer '${e.path}' is applied more than once (shared weights)`);
    seenPaths.add(e.path);
    const keys = Object.keys(e.params).filter((k) => included.has(e.paramPaths[k] ?? ''));
    for (const k of keys) {
      const path = e.paramPaths[k]!;
      if (owner.has(path)) problems.push(`parameter '${path}' is used by more than one layer`);
      owner.set(path, e.path);
    }
    if (keys.length === 0) continue;
    const info: TapInfo = {
      path: e.path,
      kind: e.kind,
      inputShape: e.input.shape.slice(1),
      outputShape: e.output.shape.slice(1),
      keys,
      paramPaths: Object.fromEntries(keys.map((k) => [k, e.paramPaths[k]!])),
      paramShapes: Object.fromEntries(Object.entries(e.params).map(([k, t]) => [k, t.shape])),
      config: e.config,
    };
    const handler = handlers.get(e.kind);
    if (handler === undefined) {
      problems.push(`layer '${e.path}' has kind '${e.kind}', which has no per-example rule (known: ${[...handlers.keys()].join(', ')})`);
      continue;
    }
    const unknownKeys = keys.filter((k) => !handler.keys.includes(k));
    if (unknownKeys.length > 0) problems.push(`layer '${e.path}' (${e.kind}) has parameters ${unknownKeys.join(', ')} the ${e.kind} rule does not cover`);
    const reason = handler.check?.(info);
    if (reason !== undefined) problems.push(`layer '${e.path}' (${e.kind}): ${reason}`);
    taps.push({ info, handler });
  }
  const layers = new Map<string, { path: string; kind: string; params: string[] }>();
  for (const p of params) {
    const tap = owner.get(p.path);
    if (tap === undefined) problems.push(`parameter '${p.path}' is not reported by any tap`);
    // An untapped parameter is grouped under its parent path, which is its layer by convention.
    const path = tap ?? p.path.split('.').slice(0, -1).join('.');
    const kind = tap === undefined ? 'untapped' : (events.find((e) => e.path === tap)?.kind ?? 'untapped');
    const layer = layers.get(path) ?? { path, kind, params: [] };
    layer.params.push(p.path);
    layers.set(path, layer);
  }
  const unsupported = problems.length > 0 ? problems.join('; ') : undefined;
  return { params, taps, layers: [...layers.values()], hasBatchNorm, rowActivations, ...(unsupported === undefined ? {} : { unsupported }) };
}
