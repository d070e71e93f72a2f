import { activation, createModel, createRng, dense, gatherBatch, resolveLoss, serial, tf, type Dataset, type HookContext } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { gradientGram } from '../gram/engine';
import { metricHooks } from '../hooks';
import { measureMetric } from '../measure';
import { parseMetricSpecs } from '../metric-spec';
import { gramSummary } from './gram';

const n = 9;
const inputDim = 3;

function dataset(): Dataset {
  const x = new Float32Array(n * inputDim);
  createRng('gram-metric-test').fillNormal(x);
  return { name: 'test', inputShape: [inputDim], task: 'classification', numClasses: 2, train: { x, y: Int32Array.from({ length: n }, (_, i) => i % 2), n } };
}

const model = () => createModel(serial(dense({ units: 4 }), activation('tanh'), dense({ units: 2 })), { inputShape: [inputDim], seed: 1 });

describe('the gram metric', () => {
  it('records, during training, the summary of the engine’s Gram of the examples its seed draws', async () => {
    const data = dataset();
    const m = model();
    const [spec] = parseMetricSpecs([{ name: 'gram', of: 'loss', n: 5, seed: 4 }]);
    const [hook] = metricHooks([spec!], data);
    const ctx: HookContext = { model: m, data, loss: resolveLoss('softmax-cross-entropy'), step: 0, epoch: 0, learningRate: 0.1, rng: createRng('ctx') };
    const before = tf.memory().numTensors;
    const record = (await hook!.run(ctx)) as Record<string, unknown>;
    expect(tf.memory().numTensors).toBe(before);
    const rows = createRng('gram/4').sampleWithoutReplacement(n, 5);
    const batch = gatherBatch(data, [{ split: data.train, indices: rows }], false);
    const g = await gradientGram(m, batch, { of: 'loss', loss: ctx.loss });
    tf.dispose([batch.x, batch.y]);
    expect({ ...record, seconds: undefined }).toEqual({ n: 5, ...gramSummary(g), seconds: undefined });
    m.dispose();
  });

  it('measured once on the loop, reports each backward pass and returns the matrix of the rows it drew', async () => {
    const data = dataset();
    const m = model();
    const [spec] = parseMetricSpecs([{ name: 'gram', of: 'output', outputs: 'full', method: 'loop', n: 4 }]);
    const seen: Array<[string, number, number]> = [];
    const before = tf.memory().numTensors;
    const result = await measureMetric(spec!, { model: m, data, loss: resolveLoss('softmax-cross-entropy'), rng: createRng('measure'), progress: (stage, done, total) => seen.push([stage, done, total]) });
    expect(tf.memory().numTensors).toBe(before);
    // 4 examples × 2 outputs, one backward pass each.
    expect(seen).toEqual(Array.from({ length: 8 }, (_, k) => ['Gram', k + 1, 8]));
    expect(result.rows).toEqual(createRng('measure').sampleWithoutReplacement(n, 4));
    expect(result.gram?.size).toBe(8);
    expect(result.summary).toMatchObject({ of: 'output', size: 8, method: 'loop' });
    m.dispose();
  });
});
