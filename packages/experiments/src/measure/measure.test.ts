import { ConfigError, createRng, gatherBatch, tf } from '@overparam/core';
import { gradientGram, gramSummary } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../run/prepare';
import { measure } from './measure';
import { memoryStore } from '../store/memory';
import { measureRun, parseMeasureSpec } from './measurement-run';

const config = { arch: 'mlp', archOptions: { depth: 2, width: 5 }, data: 'synthetic', backend: 'cpu', seed: 3, steps: 0 };

/**
 * What `overparam measure --metric loss-gram` / `ntk-gram` computed before the names were one
 * vocabulary, written out as it was: n rows drawn from the run seed's 'measure' stream, the
 * engine's Gram of them, and the summary of that matrix.
 */
async function formerGram(of: 'loss' | 'output', n: number) {
  const run = await prepareRun(config);
  try {
    const rows = createRng(config.seed).fork('measure').sampleWithoutReplacement(run.data.train.n, n);
    const batch = gatherBatch(run.data, [{ split: run.data.train, indices: rows }], false);
    const g = await gradientGram(run.model, batch, { of, loss: run.loss, outputs: 'trace', method: 'auto', perLayer: false });
    batch.x.dispose();
    batch.y.dispose();
    return { rows, g };
  } finally {
    run.model.dispose();
  }
}

describe('measure with the gram metric', () => {
  for (const of of ['loss', 'output'] as const) {
    it(`of: ${of} gives exactly the former ${of === 'loss' ? 'loss-gram' : 'ntk-gram'}: the same rows, matrix and summary`, async () => {
      const n = 7;
      const former = await formerGram(of, n);
      const run = await prepareRun(config);
      const before = tf.memory().numTensors;
      const m = await measure(run, parseMeasureSpec({ name: 'gram', of, n }), { seed: config.seed });
      expect(tf.memory().numTensors).toBe(before);
      run.model.dispose();
      expect(m.examples?.indices).toEqual(former.rows);
      expect(m.gram?.size).toBe(n);
      // Bit for bit: the same float32 model and examples through the same engine.
      expect(m.gram?.matrix).toEqual(former.g.matrix);
      expect(m.summary).toEqual(gramSummary(former.g));
      expect(m.summary).toMatchObject({ of, size: n });
    });
  }

  it('refuses a spec the data cannot serve, naming its own key (n, not metrics.0.n), before writing', async () => {
    const store = memoryStore();
    const error = await measureRun(config, { name: 'gram', n: 1_000_000 }, { store, id: 'too-many' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('n');
    expect((error as ConfigError).message).toMatch(/^n: /);
    expect(store.artifact('too-many', 'measure.json')).toBeUndefined();
  });

  it('refuses a key the metric does not take, naming it', () => {
    expect(() => parseMeasureSpec({ name: 'gram', pairs: 3 })).toThrow(/^pairs: gram does not take 'pairs'$/);
    expect(() => parseMeasureSpec({ name: 'weight-movement' })).toThrow(/^metric: weight-movement compares the weights/);
  });

  it('measures a metric without a measure of its own by running its hook once (full-loss)', async () => {
    const run = await prepareRun({ ...config, data: 'sphere', dataOptions: { n: 12, d: 3, testN: 2 }, arch: 'deep-linear', archOptions: { depth: 2 } });
    const m = await measure(run, parseMeasureSpec({ name: 'full-loss' }), { seed: 0 });
    run.model.dispose();
    expect(m.examples).toBeUndefined();
    expect(m.summary).toMatchObject({ n: 12 });
    expect(m.summary['loss']).toBeGreaterThan(0);
  });
});
