import { existsSync } from 'node:fs';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, gatherBatch, tf, type Tensor } from '@overparam/core';
import { configHash, parseRunConfig, prepareRun, run } from '@overparam/experiments';
import { readCheckpointDirectory, runDirectory } from '@overparam/experiments/node';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { cli, temporaryRoot } from '../packages/cli/src/test-cli';
import { writeMyCnn } from './fixtures/my-cnn';
import { testBackend } from './setup-backend';

/**
 * What `--model` refuses, each with one line naming the problem and the fix before anything is
 * trained or written (both arch and model, a missing file, outputs or inputs that do not fit the
 * data, a model file changed under a run that is resumed), and `--export-model`'s round trip.
 */
const root = await temporaryRoot('overparam-byo-errors-');
const file = await writeMyCnn(join(root, 'my-cnn'));

/** The one line a refused command printed; nothing was written to `out` and no tensor was left. */
async function refused(out: string, ...argv: string[]): Promise<string> {
  const before = tf.memory().numTensors;
  const r = await cli(...argv, '--backend', testBackend, '--out', out);
  expect(r.code, r.stderr).not.toBe(0);
  expect(tf.memory().numTensors).toBe(before);
  expect(existsSync(out)).toBe(false);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe(`--model refuses what does not fit, before any work (${testBackend})`, () => {
  it('a config with both arch and model', async () => {
    expect(() => parseRunConfig({ arch: 'mlp', model: file })).toThrow(ConfigError);
    expect(() => parseRunConfig({ arch: 'mlp', model: file })).toThrow(/^model: a config names either arch or model, not both; leave out arch/);
    const line = await refused(join(root, 'both'), 'train', '--model', file, '--arch', 'mlp', '--data', 'mnist');
    expect(line).toMatch(/--model: a config names either arch or model, not both/);
  });

  it('a model file that is not there', async () => {
    const missing = join(root, 'nowhere', 'model.json');
    const line = await refused(join(root, 'missing'), 'measure', '--model', missing, '--data', 'mnist', '--metric', 'gram');
    expect(line).toContain(`cannot read model file ${missing} (no such file)`);
  });

  it('a model whose outputs are not the data set’s classes', async () => {
    const three = await writeMyCnn(join(root, 'three'), { classes: 3 });
    const line = await refused(join(root, 'three-run'), 'train', '--model', three, '--data', 'mnist', '--steps', '1');
    expect(line).toContain(`${three} outputs 3 units, data set mnist has 10 classes; give a model whose last layer has 10 units`);
  });

  it('a model whose input is not the data set’s examples', async () => {
    const image = await writeMyCnn(join(root, 'image'), { imageInput: true });
    const line = await refused(join(root, 'image-run'), 'measure', '--model', image, '--data', 'mnist', '--metric', 'gram');
    expect(line).toContain(`${image} takes inputs of shape [28, 28, 1], data set mnist has examples of shape [784]`);
    expect(line).toContain('start the model with a Reshape to [28, 28, 1] from input [784]');
  });

  it('a resume whose model file changed since the run started; the changed file is a new cell', async () => {
    const dir = join(root, 'changing');
    await cp(join(root, 'my-cnn'), dir, { recursive: true });
    const model = join(dir, 'model.json');
    const config = { model, data: 'mnist', dataOptions: { trainSubset: 64 }, steps: 500, batchSize: 8, backend: testBackend };
    const stop = new AbortController();
    const { store, id } = runDirectory(join(root, 'changing-run'));
    const before = tf.memory().numTensors;
    const started = await run(config, { store, id, signal: stop.signal, onProgress: () => stop.abort() });
    expect(started.summary.outcome).toBe('aborted');
    expect(tf.memory().numTensors).toBe(before);
    const hash = configHash(parseRunConfig(config));

    const shard = join(dir, 'weights.bin');
    const bytes = await readFile(shard);
    bytes[0] = bytes[0]! ^ 0x40;
    await writeFile(shard, bytes);
    const r = await cli('train', '--resume', join(root, 'changing-run'));
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${model} (or a weight shard beside it) changed since the config recorded it`);
    expect(tf.memory().numTensors).toBe(before);
    // The same config read now records the new content: another run identity (sweep cell id).
    expect(configHash(parseRunConfig({ ...config }))).not.toBe(hash);
  });
});

describe(`train --export-model (${testBackend})`, () => {
  it('writes the trained weights as a Layers model: tf.loadLayersModel gives the run’s final outputs', async () => {
    const out = join(root, 'exported-run');
    const exported = join(root, 'exported');
    const r = await cli('train', '--model', file, '--data', 'mnist', '--data-option', 'trainSubset=64', '--steps', '3', '--batch-size', '8', '--export-model', exported, '--backend', testBackend, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`trained weights written as a Layers model to ${join(exported, 'model.json')}`);

    // tfjs's own loader, from the files as written (fromMemory: Node's file:// handler needs tfjs-node).
    const json = JSON.parse(await readFile(join(exported, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
    const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(exported, p))));
    const data = Buffer.concat(shards);
    const keras = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }));

    // The run's final model: its config's model with the last checkpoint's weights and batch-norm statistics.
    const prepared = await prepareRun(JSON.parse(await readFile(join(out, 'config.json'), 'utf8')));
    const batch = gatherBatch(prepared.data, [{ split: prepared.data.train, indices: Int32Array.from({ length: 16 }, (_, i) => i) }], false);
    const initial = tf.tidy(() => tf.softmax(prepared.model.apply(batch.x)));
    const checkpoint = (await readCheckpointDirectory(out))!;
    const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
    prepared.model.writeWeights(prepared.model.parameters.map((p) => ({ path: p.path, shape: p.shape, values: byName.get(`param/${p.path}`)!.values as Float32Array })));
    const state = new Map<string, Tensor>();
    for (const t of checkpoint.tensors) if (t.name.startsWith('state/')) state.set(t.name.slice('state/'.length), tf.tensor(t.values, [...t.shape]));
    expect(state.size).toBe(4);
    prepared.model.commitState(state);

    const theirs = keras.predict(batch.x) as Tensor;
    // The file keeps its softmax; the run's model outputs logits (the loss applies the softmax).
    const ours = tf.tidy(() => tf.softmax(prepared.model.apply(batch.x)));
    const a = ours.dataSync();
    const b = theirs.dataSync();
    // tfjs-layers' kernels against core's on the same float32 weights: float32 rounding, well inside 1e-5.
    let worst = 0;
    b.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[i]! - v))));
    expect(worst).toBeLessThan(1e-5);
    // The outputs moved away from the file's initial ones: the export holds the trained weights.
    const start = initial.dataSync();
    expect(Math.max(...b.map((v, i) => Math.abs(v - start[i]!)))).toBeGreaterThan(100 * worst);
    tf.dispose([batch.x, batch.y, theirs, ours, initial]);
    keras.dispose();
    prepared.model.dispose();
  });
});

describe(`a sweep names a model (${testBackend})`, () => {
  it('relative to the sweep file; each cell records the file absolute with its digest', async () => {
    const sweepFile = join(root, 'sweep.json');
    const base = { model: 'my-cnn/model.json', data: 'mnist', dataOptions: { trainSubset: 32 }, steps: 2, batchSize: 8, backend: testBackend };
    await writeFile(sweepFile, JSON.stringify({ name: 'byo', base, grid: { lr: [0.1, 0.01] } }));
    const out = join(root, 'sweep');
    const before = tf.memory().numTensors;
    const r = await cli('sweep', sweepFile, '--out', out, '--replicas', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const cells = await readdir(join(out, 'runs'));
    expect(cells).toHaveLength(2);
    const sha = parseRunConfig({ model: file }).modelSha256;
    for (const cell of cells) {
      const config = JSON.parse(await readFile(join(out, 'runs', cell, 'config.json'), 'utf8')) as { model: string; modelSha256: string };
      expect(config.model).toBe(file);
      expect(config.modelSha256).toBe(sha);
    }
  });
});
