import { activation, createModel, createRng, dense, isOverparamError, MemorySink, serial, tf, train, type Dataset, type Model } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { weightMovement, weightMovementHook, type WeightSnapshot } from './weight-movement';

function smallModel(seed: number): Model {
  return createModel(serial(dense({ units: 8 }), activation('tanh'), dense({ units: 3 })), { inputShape: [5], seed });
}

function smallData(): Dataset {
  const rng = createRng(9);
  const n = 64;
  const x = new Float32Array(n * 5);
  rng.fillNormal(x);
  return { name: 'toy', inputShape: [5], task: 'classification', numClasses: 3, train: { x, y: Int32Array.from({ length: n }, (_, i) => i % 3), n } };
}

/** ‖a − b‖_F and ‖b‖_F over the named parameters, written out plainly in float64. */
function reference(now: WeightSnapshot, then: WeightSnapshot, paths: string[]) {
  let d = 0;
  let n = 0;
  for (const p of paths) {
    const a = now.find((w) => w.path === p)!.values;
    const b = then.find((w) => w.path === p)!.values;
    for (let i = 0; i < a.length; i++) {
      d += (a[i]! - b[i]!) ** 2;
      n += b[i]! ** 2;
    }
  }
  return { distance: Math.sqrt(d), initialNorm: Math.sqrt(n) };
}

describe('weightMovement', () => {
  it('matches a plain float64 computation per parameter, per layer and in total', () => {
    const model = smallModel(0);
    const w0 = model.readWeights();
    const rng = createRng(4);
    model.writeWeights(w0.map((w) => ({ ...w, values: w.values.map((v) => v + 0.01 * rng.normal()) })));
    const before = tf.memory().numTensors;
    const m = weightMovement(model, w0);
    expect(tf.memory().numTensors).toBe(before);
    const now = model.readWeights();
    expect(m.params.map((p) => p.path)).toEqual(['0.w', '0.b', '2.w', '2.b']);
    for (const p of m.params) {
      const r = reference(now, w0, [p.path]);
      expect(p.distance).toBeCloseTo(r.distance, 12);
      expect(p.initialNorm).toBeCloseTo(r.initialNorm, 12);
      // Biases start at zero, where the ratio is undefined.
      expect(p.ratio).toBe(r.initialNorm > 0 ? p.distance / p.initialNorm : null);
    }
    expect(m.layers.map((l) => l.layer)).toEqual(['0', '2']);
    const l0 = reference(now, w0, ['0.w', '0.b']);
    expect(m.layers[0]!.distance).toBeCloseTo(l0.distance, 12);
    expect(m.layers[0]!.ratio!).toBeCloseTo(l0.distance / l0.initialNorm, 12);
    const all = reference(now, w0, ['0.w', '0.b', '2.w', '2.b']);
    expect(m.total.distance).toBeCloseTo(all.distance, 12);
    expect(m.total.ratio!).toBeCloseTo(all.distance / all.initialNorm, 12);
    // Another snapshot works as `current` too; a snapshot of itself has not moved.
    expect(weightMovement(now, w0).total.distance).toBe(m.total.distance);
    expect(weightMovement(now, now).total.distance).toBe(0);
    model.dispose();
  });

  it('rejects a snapshot of a different model with a typed error', () => {
    const a = smallModel(0);
    const b = createModel(serial(dense({ units: 8 }), activation('tanh'), dense({ units: 2 })), { inputShape: [5], seed: 0 });
    let err: unknown;
    try {
      weightMovement(a, b.readWeights());
    } catch (e) {
      err = e;
    }
    expect(isOverparamError(err) && err.code).toBe('SHAPE_MISMATCH');
    expect(() => weightMovement(a, b.readWeights().slice(0, 2))).toThrow(/take the snapshot from this model/);
    a.dispose();
    b.dispose();
  });
});

describe('weightMovementHook', () => {
  it('snapshots at the start, records movement on schedule, agrees with the function, and leaks nothing', async () => {
    const data = smallData();
    const config = { steps: 20, batchSize: 16, loss: 'softmax-cross-entropy' as const, schedule: { kind: 'constant' as const, lr: 0.5 }, seed: 1 };
    const warm = smallModel(1);
    await train(warm, data, { ...config, steps: 2 }); // tfjs creates cached constants on first use
    warm.dispose();

    const model = smallModel(1);
    const w0 = model.readWeights();
    const sink = new MemorySink();
    const before = tf.memory().numTensors;
    await train(model, data, config, { hooks: [weightMovementHook({ schedule: { everySteps: 10 } })], sinks: [sink] });
    expect(tf.memory().numTensors).toBe(before);

    const records = sink.ofKind('weight-movement');
    expect(records.map((r) => r.step)).toEqual([0, 10, 20, 20]); // start, every 10, end
    expect(records[0]!.distance).toBe(0);
    const last = records[3]!;
    const expected = weightMovement(model, w0);
    expect(last.distance).toBeCloseTo(expected.total.distance, 12);
    expect(last.distance as number).toBeGreaterThan(0);
    const layers = last.layers as Record<string, { distance: number; ratio: number }>;
    expect(layers['2']!.ratio).toBeCloseTo(expected.layers[1]!.ratio!, 12);
    expect(Object.entries(layers).map(([path, l]) => [path, (l as { index?: number }).index])).toEqual([['0', 1], ['2', 2]]);
    model.dispose();
  });

  it('leaves frozen layers out and numbers the trainable ones W(1) … in forward order', async () => {
    // Du et al.'s shape: trained hidden layers, then a frozen output a that never moves.
    const model = createModel(serial(dense({ units: 8 }), activation('tanh'), dense({ units: 8 }), activation('tanh'), dense({ units: 3, frozen: true })), { inputShape: [5], seed: 2 });
    const sink = new MemorySink();
    await train(model, smallData(), { steps: 5, batchSize: 16, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 }, { hooks: [weightMovementHook()], sinks: [sink] });
    const layers = sink.ofKind('weight-movement').at(-1)!.layers as Record<string, { index: number; ratio: number }>;
    expect(Object.entries(layers).map(([path, l]) => [path, l.index])).toEqual([['0', 1], ['2', 2]]);
    expect(layers['4']).toBeUndefined();
    model.dispose();
  });
});
