import { tf, yieldToEventLoop, type Loss, type Model, type Tensor } from '@overparam/core';
import type { MemberGrams } from './fast';
import type { GramPlan } from './plan';

/** One backward pass of the loop: rows of the batch and the scalar to differentiate. */
export interface LoopUnit {
  readonly rows: Int32Array;
  /** Mean loss of the rows, or output `output` of the single row. */
  readonly output?: number;
}

export interface LoopInputs {
  readonly x: Tensor;
  readonly y?: Tensor;
  readonly loss?: Loss;
  readonly training: boolean;
}

/** ∇θ of one unit, as float32 arrays per included parameter (layer order). */
async function unitGradient(model: Model, plan: GramPlan, batch: LoopInputs, unit: LoopUnit): Promise<Float32Array[]> {
  const vars = plan.params.map((p) => p.variable);
  // Batch-norm keeps its new running statistics past the tidy; measuring must not change them.
  const stateUpdates = new Map<string, Tensor>();
  const grads = tf.tidy(() => {
    const idx = tf.tensor1d(unit.rows, 'int32');
    const x = tf.gather(batch.x, idx);
    // The engine's own gradient call, as tf.variableGrads makes it, but without its rule of
    // leaving out non-trainable variables: frozen parameters are included when asked.
    const { grads } = tf.engine().gradients(
      () => {
        const out = model.apply(x, { training: batch.training, stateUpdates });
        if (batch.loss !== undefined) return tf.mean(batch.loss.perExample(out, tf.gather(batch.y!, idx)));
        return tf.sum(tf.slice(tf.reshape(out, [1, -1]), [0, unit.output ?? 0], [1, 1]));
      },
      vars,
      undefined,
      true,
    );
    return vars.map((v, i) => grads[i] ?? tf.zerosLike(v));
  });
  try {
    // Read without blocking: on WebGL/WebGPU a synchronous read stalls the page for the whole pipeline.
    return (await Promise.all(grads.map((g) => g.data()))) as Float32Array[];
  } finally {
    for (const g of grads) g.dispose();
    for (const t of stateUpdates.values()) t.dispose();
  }
}

/**
 * The reference: one backward pass per unit (tf.variableGrads, exactly as training computes a
 * gradient), then every inner product in float64 in plain JS. O(units² · parameters) on the JS
 * side, so meant for checking the fast path and for models it cannot handle.
 */
export async function loopUnitGrams(model: Model, plan: GramPlan, batch: LoopInputs, units: readonly LoopUnit[], perLayer: boolean, onProgress?: (done: number, total: number) => void): Promise<MemberGrams> {
  const size = units.length;
  const layerOfParam = new Map<string, number>();
  plan.layers.forEach((layer, l) => {
    for (const p of layer.params) layerOfParam.set(p, l);
  });
  const paramLayer = plan.params.map((p) => layerOfParam.get(p.path)!);
  const gradients: Float32Array[][] = [];
  const total = new Float64Array(size * size);
  const layers = perLayer ? plan.layers.map(() => new Float64Array(size * size)) : undefined;
  for (let i = 0; i < size; i++) {
    // One backward pass per unit, and up to i products after it: let the page have a turn between units.
    await yieldToEventLoop();
    const gi = await unitGradient(model, plan, batch, units[i]!);
    gradients.push(gi);
    for (let j = 0; j <= i; j++) {
      const gj = gradients[j]!;
      let sum = 0;
      for (let p = 0; p < gi.length; p++) {
        const a = gi[p]!;
        const b = gj[p]!;
        let s = 0;
        for (let t = 0; t < a.length; t++) s += a[t]! * b[t]!;
        sum += s;
        if (layers !== undefined) {
          const k = layers[paramLayer[p]!]!;
          k[i * size + j]! += s;
          if (i !== j) k[j * size + i]! += s;
        }
      }
      total[i * size + j] = sum;
      total[j * size + i] = sum;
    }
    onProgress?.(i + 1, size);
  }
  return layers === undefined ? { total } : { total, layers };
}
