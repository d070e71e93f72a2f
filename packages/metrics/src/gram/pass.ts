import { tf, type Loss, type Model, type TapRecorder, type Tensor } from '@overparam/core';
import type { LayerRows } from './handlers';
import type { GramLayout } from './layout';
import type { GramPlan } from './plan';

/** One chunk's per-layer tensors (in plan.taps order) and everything to dispose afterwards. */
export interface ChunkTensors {
  readonly start: number;
  readonly end: number;
  readonly layers: readonly LayerRows[];
  dispose(): void;
}

export interface PassInputs {
  readonly x: Tensor;
  readonly y?: Tensor;
  /** Present for `of: 'loss'`; absent means f = the network output. */
  readonly loss?: Loss;
  readonly training: boolean;
}

/** Σ over rows of the chunk's objective: weighted losses, or the selected outputs. */
function objective(out: Tensor, batch: PassInputs, layout: GramLayout, start: number, end: number, rows: Int32Array): Tensor {
  const m = end - start;
  const r = layout.replicas;
  if (batch.loss !== undefined) {
    const perExample = batch.loss.perExample(out, tf.gather(batch.y!, tf.tensor1d(rows, 'int32')));
    if (layout.weights === undefined) return tf.sum(perExample);
    return tf.sum(tf.mul(perExample, tf.tensor1d(layout.weights.subarray(start, end))));
  }
  const outputs = out.rank === 1 ? tf.reshape(out, [out.shape[0]!, 1]) : tf.reshape(out, [out.shape[0]!, -1]);
  const k = outputs.shape[1]!;
  const mask = new Float32Array(m * r * k);
  // Replica c of member i is row c·m + i and differentiates output c; a full-NTK member its own output.
  for (let c = 0; c < r; c++) for (let i = 0; i < m; i++) mask[(c * m + i) * k + (r > 1 ? c : (layout.outputOf?.[start + i] ?? 0))] = 1;
  return tf.sum(tf.mul(outputs, tf.tensor2d(mask, [m * r, k])));
}

/**
 * One forward pass of members [start, end) (times replicas) with a recorder that adds a zero
 * probe to every tapped output and keeps every tapped input, then one backward pass of the summed
 * objective with respect to the probes: ∂/∂probe_l is each row's output gradient at layer l,
 * since rows do not interact (or, for a coupled group, the gradient of the group's loss).
 */
export function runChunk(model: Model, plan: GramPlan, batch: PassInputs, layout: GramLayout, start: number, end: number): ChunkTensors {
  const m = end - start;
  const r = layout.replicas;
  const rows = new Int32Array(m * r);
  for (let c = 0; c < r; c++) rows.set(layout.rows.subarray(start, end), c * m);
  const owned = new Set<Tensor>();
  const index = new Map(plan.taps.map((t, i) => [t.info.path, i]));
  const inputs: Array<Tensor | undefined> = plan.taps.map(() => undefined);
  const xs = tf.tidy(() => tf.gather(batch.x, tf.tensor1d(rows, 'int32')));
  owned.add(xs);
  const probes = plan.taps.map((t) => tf.zeros([m * r, ...t.info.outputShape]));
  const stateUpdates = new Map<string, Tensor>();
  try {
    const grads = tf.grads((...ps: Tensor[]) => {
      const recorder: TapRecorder = {
        tap(event) {
          const i = index.get(event.path);
          if (i === undefined) return event.output;
          // Kept past the pass's tidy; disposed with the chunk.
          inputs[i] = tf.keep(event.input);
          return tf.add(event.output, ps[i]!);
        },
      };
      const out = model.apply(xs, { training: batch.training, recorder, stateUpdates });
      return objective(out, batch, layout, start, end, rows);
    })(probes);
    for (const g of grads) owned.add(g);
    for (const t of inputs) if (t !== undefined) owned.add(t);
    const missing = plan.taps.filter((_, i) => inputs[i] === undefined).map((t) => t.info.path);
    if (missing.length > 0) throw new Error(`layers ${missing.join(', ')} tapped in the discovery pass but not in the measured pass`);
    const layers = plan.taps.map((_, i) => {
      const input = r === 1 ? inputs[i]! : tf.slice(inputs[i]!, 0, m);
      const deltas = r === 1 ? [grads[i]!] : tf.split(grads[i]!, r, 0);
      owned.add(input);
      for (const d of deltas) owned.add(d);
      return { input, deltas };
    });
    return {
      start,
      end,
      layers,
      dispose: () => {
        for (const t of owned) t.dispose();
      },
    };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  } finally {
    for (const p of probes) p.dispose();
    for (const v of stateUpdates.values()) v.dispose();
  }
}
