import { ConfigError, tf } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { prepareRun } from './prepare';
import { run } from './run';
import { memoryStore } from '../store/memory';

// The unit project runs on cpu; asking for it by name keeps `auto` from switching backends.
const tiny = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 5, batchSize: 8, logEvery: 1, backend: 'cpu', seed: 3 };
/** MLP-1-16 on 784 → 10: 784·16 + 16 + 16·10 + 10. */
const ORIGINAL_PARAMS = 12_730;
/** Two factors: 784 → 16 gains a 16 × 16 factor, 16 → 10 a 10 × 10 one (hidden widths min(in, out)). */
const ADDED_BY_TWO_FACTORS = 16 * 16 + 10 * 10;

async function outputsOf(config: Record<string, unknown>): Promise<{ values: Float32Array; name: string; params: number }> {
  const prepared = await prepareRun(config);
  const y = tf.tidy(() => prepared.model.apply(tf.tensor2d(prepared.data.train.x.slice(0, 4 * 784), [4, 784])));
  const values = (await y.data()) as Float32Array;
  const result = { values, name: prepared.model.name, params: prepared.model.paramCount };
  y.dispose();
  prepared.model.dispose();
  return result;
}

describe('the overparameterize key of a run config (Arora et al. (2018), §8)', () => {
  it('is validated: at least one factor, a known factor init (default preserve), nothing else', () => {
    expect(parseRunConfig({ ...tiny, overparameterize: { factors: 2 } }).overparameterize).toEqual({ factors: 2, factorInit: 'preserve' });
    expect(parseRunConfig(tiny).overparameterize).toBeUndefined();
    expect(() => parseRunConfig({ ...tiny, overparameterize: { factors: 0 } })).toThrow(expect.objectContaining({ field: 'overparameterize.factors' }));
    expect(() => parseRunConfig({ ...tiny, overparameterize: { factors: 2, factorInit: 'fresh' } })).toThrow(/unknown factor init 'fresh'; expected one of: preserve, paper/);
    expect(() => parseRunConfig({ ...tiny, overparameterize: { factors: 2, width: 3 } })).toThrow(expect.objectContaining({ field: 'overparameterize.width' }));
  });

  it('builds the net with its dense layers as products: preserve computes what the original computes, paper draws afresh', async () => {
    const before = tf.memory().numTensors;
    const original = await outputsOf(tiny);
    // One factor is the net as it is, so that a sweep can grid over the number of factors.
    const single = await outputsOf({ ...tiny, overparameterize: { factors: 1, factorInit: 'paper' } });
    expect(single).toEqual(original);
    const preserved = await outputsOf({ ...tiny, overparameterize: { factors: 2 } });
    const paper = await outputsOf({ ...tiny, overparameterize: { factors: 2, factorInit: 'paper' } });
    expect(tf.memory().numTensors).toBe(before);
    expect(original.params).toBe(ORIGINAL_PARAMS);
    expect(preserved.params).toBe(ORIGINAL_PARAMS + ADDED_BY_TWO_FACTORS);
    expect(preserved.name).toBe('MLP-1-16-OP2');
    // The same float32 map as a product W·I: equal up to rounding of one extra matmul.
    preserved.values.forEach((v, i) => expect(v).toBeCloseTo(original.values[i]!, 5));
    const gap = Math.max(...paper.values.map((v, i) => Math.abs(v - original.values[i]!)));
    expect(gap).toBeGreaterThan(1e-3);
  });

  it('is recorded in config.json and the summary names the overparameterized model', async () => {
    const store = memoryStore();
    const { config, summary } = await run({ ...tiny, overparameterize: { factors: 3, factorInit: 'paper' } }, { store, id: 'op' });
    expect(config.overparameterize).toEqual({ factors: 3, factorInit: 'paper' });
    expect(summary).toMatchObject({ outcome: 'completed', modelName: 'MLP-1-16-OP3', paramCount: ORIGINAL_PARAMS + 2 * ADDED_BY_TWO_FACTORS });
  });

  it('refuses an architecture without a dense layer to replace, naming the key', async () => {
    const before = tf.memory().numTensors;
    const deepLinear = { arch: 'deep-linear', archOptions: { depth: 2 }, data: 'gaussian-regression', dataOptions: { n: 20, d: 4 }, loss: 'square', batchSize: 'full', backend: 'cpu', overparameterize: { factors: 2 } };
    await expect(prepareRun(deepLinear)).rejects.toThrow(expect.objectContaining({ field: 'overparameterize', message: expect.stringContaining('no trainable dense layer') }));
    await expect(prepareRun(deepLinear)).rejects.toBeInstanceOf(ConfigError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
