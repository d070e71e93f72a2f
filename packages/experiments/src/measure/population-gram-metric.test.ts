import { createRng, tf, type RunRecord } from '@overparam/core';
import { loadDataSet } from '@overparam/data';
import { populationGram } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { run } from '../run/run';
import { memoryStore } from '../store/memory';

/**
 * The `population-gram` metric on a du-mlp run: λ₀ must be the population Gram of exactly the
 * inputs it drew (recomputed here from the data set), the activation and depth must be the
 * architecture's, and λ_min of its last-layer Gram must agree with the spectrum metric's W(H)
 * block on the same examples (all n of them, so the two draws are the same set in another order).
 */
describe('the population-gram metric in a run', () => {
  const config = {
    arch: 'du-mlp',
    archOptions: { depth: 2, width: 64, activation: 'relu' },
    data: 'sphere',
    dataOptions: { n: 8, d: 4, testN: 1 },
    loss: 'square',
    batchSize: 'full',
    steps: 0,
    backend: 'cpu',
    metrics: [
      { name: 'population-gram', n: 8 },
      { name: 'spectrum', of: 'output', layers: true, n: 8, start: true, end: false },
    ],
  };

  it('records λ₀ of the drawn inputs, with the architecture’s activation and depth, and the last layer’s λ_min', async () => {
    const store = memoryStore();
    const before = tf.memory().numTensors;
    await run(config, { store, id: 'du' });
    expect(tf.memory().numTensors).toBe(before);
    const records = await store.readRecords('du');
    const gram = records.find((r) => r.kind === 'population-gram') as RunRecord & Record<string, number | string>;
    const spectrum = records.find((r) => r.kind === 'spectrum') as RunRecord & { layers: Record<string, { lambdaMin: number }> };
    expect(gram).toMatchObject({ step: 0, n: 8, activation: 'relu', depth: 2, layer: 'W(2)' });

    const data = loadDataSet('sphere', { seed: 0, options: { n: 8, d: 4, testN: 1, teacher: 'linear', hidden: 100 } });
    const rows = createRng('population-gram/0').sampleWithoutReplacement(8, 8);
    const inputs = Array.from(rows, (r) => data.train.x.subarray(r * 4, (r + 1) * 4));
    const expected = populationGram(inputs, { activation: 'relu', depth: 2 });
    // The same float64 computation on the same inputs.
    expect(gram['lambda0']).toBeCloseTo(expected.lambda0, 12);
    // Two float64 eigen-solves of Grams built from the same float32 gradients.
    expect(Math.abs((gram['lambdaMinLast'] as number) / spectrum.layers['W(2)']!.lambdaMin - 1)).toBeLessThan(1e-9);
    expect(gram['lambdaRatio']).toBeCloseTo((gram['lambdaMinLast'] as number) / expected.lambda0, 12);
    expect(gram['maxAbsDiff'] as number).toBeGreaterThan(0);
  });

  it('on a du-resnet run takes the ResNet recursion with the architecture’s c_res', async () => {
    const store = memoryStore();
    await run({ ...config, arch: 'du-resnet', archOptions: { depth: 3, width: 64, activation: 'relu', cRes: 1.5 } }, { store, id: 'res' });
    const gram = (await store.readRecords('res')).find((r) => r.kind === 'population-gram') as RunRecord & Record<string, number | string>;
    expect(gram).toMatchObject({ depth: 3, architecture: 'resnet', layer: 'W(3)' });
    const data = loadDataSet('sphere', { seed: 0, options: { n: 8, d: 4, testN: 1, teacher: 'linear', hidden: 100 } });
    const rows = createRng('population-gram/0').sampleWithoutReplacement(8, 8);
    const inputs = Array.from(rows, (r) => data.train.x.subarray(r * 4, (r + 1) * 4));
    const resnet = populationGram(inputs, { activation: 'relu', depth: 3, architecture: 'resnet', cRes: 1.5 });
    // The same float64 computation; the fully connected kernel of the same inputs is far from it.
    expect(gram['lambda0']).toBeCloseTo(resnet.lambda0, 12);
    expect(Math.abs(resnet.lambda0 / populationGram(inputs, { activation: 'relu', depth: 3 }).lambda0 - 1)).toBeGreaterThan(0.5);
  });

  it('is refused, before anything runs, on a network it is not defined for', async () => {
    await expect(run({ ...config, arch: 'mlp', archOptions: { depth: 2, width: 8 } }, { store: memoryStore(), id: 'mlp' })).rejects.toThrow(/population-gram is the limit kernel of Du et al.'s scaled net/);
  });
});
