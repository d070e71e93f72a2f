import { activation, ConfigError, createModel, createRng, dense, MemorySink, serial, tf, train, type Dataset } from '@overparam/core';
import { describe, expect, it, vi } from 'vitest';
import { metricHooks } from './hooks';
import { parseMetricFlag, parseMetricNamesFlag, parseMetricSpecs } from './metric-spec';

function dataset(n: number): Dataset {
  const rng = createRng('hooks-test');
  const x = new Float32Array(n * 4);
  rng.fillNormal(x);
  return { name: 'test', inputShape: [4], task: 'classification', numClasses: 2, train: { x, y: Int32Array.from({ length: n }, (_, i) => (x[i * 4]! > 0 ? 1 : 0)), n } };
}

describe('metric specs', () => {
  it('reads --metric flags', () => {
    expect(parseMetricFlag('confusion:every=500,pairs=100')).toEqual({ name: 'confusion', every: 500, pairs: 100 });
    expect(parseMetricFlag('spectrum:n=256,layers,of=loss,start=false')).toEqual({ name: 'spectrum', n: 256, layers: true, of: 'loss', start: false });
    expect(parseMetricFlag('weight-movement')).toEqual({ name: 'weight-movement' });
  });

  it("reads measure's --metric: one spec with options, or bare names separated by commas", () => {
    expect(parseMetricNamesFlag('gram:of=loss,n=64')).toEqual([{ text: 'gram:of=loss,n=64', spec: { name: 'gram', of: 'loss', n: 64 } }]);
    expect(parseMetricNamesFlag('confusion, spectrum')).toEqual([
      { text: 'confusion', spec: { name: 'confusion' } },
      { text: 'spectrum', spec: { name: 'spectrum' } },
    ]);
  });

  it('fills defaults and names the bad field', () => {
    const [c, p, s] = parseMetricSpecs([{ name: 'confusion' }, { name: 'minibatch-confusion', every: 10 }, { name: 'spectrum', epochs: 1 }]);
    expect(c).toMatchObject({ name: 'confusion', n: 256, start: false, end: true });
    expect(p).toMatchObject({ pairs: 100, batchSize: 128, every: 10, method: 'direct', values: false });
    expect(s).toMatchObject({ n: 256, of: 'output', epochs: 1 });
    expect(parseMetricSpecs([{ name: 'confusion', pairs: 10 }])[0]).toMatchObject({ pairs: 10, batchSize: 128 });
    const field = (input: unknown) => {
      try {
        parseMetricSpecs(input);
      } catch (e) {
        if (e instanceof ConfigError) return [e.field, e.message];
      }
      return undefined;
    };
    expect(field([{ name: 'gram-of-doom' }])).toEqual(['metrics.0.name', expect.stringMatching(/unknown metric 'gram-of-doom'.*confusion/)]);
    expect(field([{ name: 'spectrum', bogus: 1 }])?.[0]).toBe('metrics.0.bogus');
    expect(field([{ name: 'spectrum', every: 0 }])?.[0]).toBe('metrics.0.every');
    expect(field([{ name: 'confusion', n: 8, pairs: 2 }])?.[0]).toBe('metrics.0.pairs');
    expect(field([{ name: 'spectrum' }, { name: 'spectrum' }])?.[0]).toBe('metrics.1.name');
  });
});

describe('metric hooks in the training loop', () => {
  it('write their numbers on schedule, once per step, without leaking tensors', async () => {
    const data = dataset(48);
    const model = createModel(serial(dense({ units: 6 }), activation('tanh'), dense({ units: 2 })), { inputShape: [4], seed: 0 });
    const hooks = metricHooks(
      parseMetricSpecs([
        { name: 'confusion', every: 5, n: 12 },
        { name: 'minibatch-confusion', pairs: 3, batchSize: 8, values: true },
        { name: 'spectrum', start: true, end: false, n: 10, layers: true },
        { name: 'weight-movement', every: 10 },
      ]),
    );
    const sink = new MemorySink();
    const before = tf.memory().numTensors;
    await train(model, data, { steps: 10, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 }, { hooks, sinks: [sink] });
    expect(tf.memory().numTensors).toBe(before);
    // Step 10 is both on schedule and the end: measured once.
    expect(sink.ofKind('confusion').map((r) => r.step)).toEqual([5, 10]);
    expect(sink.ofKind('minibatch-confusion').map((r) => r.step)).toEqual([10]);
    expect(sink.ofKind('spectrum').map((r) => r.step)).toEqual([0]);
    expect(sink.ofKind('weight-movement').map((r) => r.step)).toEqual([0, 10]);
    const c = sink.ofKind('confusion')[1]!;
    expect(c.n).toBe(12);
    expect(c.cosines).toBe(66);
    expect(c.eta).toBe(Math.max(0, -(c.minInner as number)));
    expect(c.minCos as number).toBeLessThanOrEqual(c.medianCos as number);
    expect(c.medianCos as number).toBeLessThanOrEqual(c.maxCos as number);
    const s = sink.ofKind('spectrum')[0]!;
    expect(s.lambdaMin as number).toBeGreaterThan(0);
    expect(s.lambdaMax as number).toBeGreaterThanOrEqual(s.lambdaMin as number);
    expect(Object.keys(s.layers as object)).toEqual(['W(1)', 'W(2)']);
    expect(Object.values(s.layers as Record<string, { path: string }>).map((l) => l.path)).toEqual(['0', '2']);
    const m = sink.ofKind('minibatch-confusion')[0]!;
    expect(m.cosines).toBe(3);
    expect(Math.min(...(m.cosineValues as number[]))).toBe(m.minCos);
    model.dispose();
  });

  it('read tensors back without blocking: no dataSync on the paths the playground measures', async () => {
    // On WebGL/WebGPU a dataSync stalls the page for the whole GPU pipeline; data() does not.
    const data = dataset(48);
    const model = createModel(serial(dense({ units: 6 }), activation('tanh'), dense({ units: 2 })), { inputShape: [4], seed: 0 });
    const hooks = metricHooks(
      parseMetricSpecs([
        { name: 'minibatch-confusion', every: 5, start: true, pairs: 3, batchSize: 8, values: true },
        { name: 'confusion', every: 5, n: 12 },
        { name: 'spectrum', every: 5, start: true, n: 10, layers: true },
        { name: 'weight-movement', every: 5 },
      ]),
    );
    const sink = new MemorySink();
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    try {
      await train(model, data, { steps: 5, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 }, { hooks, sinks: [sink] });
      expect(dataSync).not.toHaveBeenCalled();
    } finally {
      dataSync.mockRestore();
    }
    expect(sink.ofKind('minibatch-confusion').map((r) => r.step)).toEqual([0, 5]);
    expect(sink.ofKind('confusion').map((r) => r.step)).toEqual([5]);
    expect(sink.ofKind('spectrum').map((r) => r.step)).toEqual([0, 5]);
    expect(sink.ofKind('weight-movement').map((r) => r.step)).toEqual([0, 5]);
    model.dispose();
  });
});
