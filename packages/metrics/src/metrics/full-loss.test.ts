import { activation, createModel, createRng, dense, MemorySink, serial, tf, train, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { metricHooks } from '../hooks';
import { parseMetricSpecs } from '../metric-spec';
import { fullLoss } from './full-loss';

function dataset(n: number): Dataset {
  const rng = createRng('full-loss-test');
  const x = new Float32Array(n * 5);
  rng.fillNormal(x);
  const y = Int32Array.from({ length: n }, (_, i) => (x[i * 5]! + x[i * 5 + 1]! > 0 ? 1 : x[i * 5 + 2]! > 0 ? 2 : 0));
  return { name: 'test', inputShape: [5], task: 'classification', numClasses: 3, train: { x, y, n } };
}

/** Cross-entropy and accuracy example by example, the softmax in float64 on the float32 logits. */
function handLoop(model: ReturnType<typeof createModel>, data: Dataset, rows: ArrayLike<number>): { loss: number; accuracy: number } {
  let loss = 0;
  let hits = 0;
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const logits = tf.tidy(() => model.apply(tf.tensor2d(data.train.x.subarray(r * 5, r * 5 + 5), [1, 5]), { training: false }).dataSync());
    const z = Array.from(logits);
    const max = Math.max(...z);
    const logSum = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
    const label = data.train.y[r]!;
    loss += logSum - z[label]!;
    if (z.indexOf(max) === label) hits++;
  }
  return { loss: loss / rows.length, accuracy: hits / rows.length };
}

describe('full-loss', () => {
  const model = createModel(serial(dense({ units: 7 }), activation('tanh'), dense({ units: 3 })), { inputShape: [5], seed: 1 });

  it('is the mean loss over the whole split, as a loop over the examples in float64 gives it', async () => {
    const data = dataset(37);
    const before = tf.memory().numTensors;
    // A chunk that does not divide n: the last, short chunk counts with its own size.
    const e = await fullLoss(model, data, 'softmax-cross-entropy', { chunk: 10 });
    expect(tf.memory().numTensors).toBe(before);
    const ref = handLoop(model, data, Array.from({ length: 37 }, (_, i) => i));
    expect(e.n).toBe(37);
    expect(Math.abs(e.loss - ref.loss)).toBeLessThan(1e-5 * ref.loss);
    expect(e.accuracy).toBe(ref.accuracy);
  });

  it('on a fixed subset draws the same n examples every time', async () => {
    const data = dataset(40);
    const a = await fullLoss(model, data, 'softmax-cross-entropy', { n: 12, seed: 3 });
    const b = await fullLoss(model, data, 'softmax-cross-entropy', { n: 12, seed: 3 });
    expect(a).toEqual(b);
    const ref = handLoop(model, data, createRng('full-loss/3').sampleWithoutReplacement(40, 12));
    expect(a.n).toBe(12);
    expect(Math.abs(a.loss - ref.loss)).toBeLessThan(1e-5 * ref.loss);
    expect(() => parseMetricSpecs([{ name: 'full-loss', n: 0 }])).toThrow(/metrics\.0\.n/);
  });

  it('as a hook writes loss, n and accuracy at the start and on schedule, leaking no tensors', async () => {
    const data = dataset(48);
    const m = createModel(serial(dense({ units: 6 }), activation('tanh'), dense({ units: 3 })), { inputShape: [5], seed: 0 });
    const [spec] = parseMetricSpecs([{ name: 'full-loss', every: 5 }]);
    expect(spec).toMatchObject({ start: true, end: true });
    const sink = new MemorySink();
    const before = tf.memory().numTensors;
    await train(m, data, { steps: 10, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 }, { hooks: metricHooks([spec!], data), sinks: [sink] });
    expect(tf.memory().numTensors).toBe(before);
    const records = sink.ofKind('full-loss');
    expect(records.map((r) => r.step)).toEqual([0, 5, 10]);
    const last = records[2]!;
    const ref = handLoop(m, data, Array.from({ length: 48 }, (_, i) => i));
    expect(last.n).toBe(48);
    expect(Math.abs((last.loss as number) - ref.loss)).toBeLessThan(1e-5 * ref.loss);
    expect(last.accuracy).toBe(ref.accuracy);
    m.dispose();
  });
});
