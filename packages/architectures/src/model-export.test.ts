import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, flattenTree, MemorySink, tf, train, type Dataset, type Tensor, type TrainConfig } from '@overparam/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelExportError } from './import-errors';
import { importLayersModel, type ImportedModel } from './import-model';
import { loadModelFile, saveModelFiles } from './node';

/**
 * Writing an imported model back as Layers model files: after training, tfjs's own loader (not
 * ours) reads the folder into a model whose `predict` equals the trained import, and our loader
 * reads back the very same weights, on the fast path (an MLP; a CNN with batch norm and a
 * residual Add) and on the generic one (an LSTM).
 */

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overparam-export-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function seeded(shape: readonly number[], seed: number): Float32Array {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  createRng(seed).fillNormal(values);
  return values;
}

/** A classification set of `n` seeded inputs of `shape`, labels cycling over `classes`. */
function dataset(shape: number[], classes: number, n = 24): Dataset {
  const train = { n, x: seeded([n, ...shape], 11), y: Int32Array.from({ length: n }, (_, i) => i % classes) };
  return { name: 'seeded', inputShape: shape, task: 'classification', numClasses: classes, train };
}

/** A few SGD steps of core's training loop (batch norm's running statistics move too), without leaking tensors. */
async function trainSteps(model: ImportedModel, data: Dataset): Promise<void> {
  const config: TrainConfig = { steps: 6, batchSize: 8, loss: 'softmax-cross-entropy', schedule: { kind: 'constant', lr: 0.2 }, seed: 3, logEvery: 1 };
  const before = tf.memory().numTensors;
  await train(model, data, config, { sinks: [new MemorySink()] });
  expect(tf.memory().numTensors).toBe(before);
}

/** Every parameter and state value of the model, by path. */
function values(model: ImportedModel): Map<string, Float32Array> {
  return new Map([...flattenTree(model.params), ...flattenTree(model.state)].map(([path, v]) => [path, Float32Array.from(v.dataSync())]));
}

/** The folder read by tfjs's own loader: model.json's topology and its shards' bytes in manifest order. */
function tfjsLoad(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { format: string; modelTopology: object; weightsManifest: tf.io.WeightsManifestConfig };
  expect(json.format).toBe('layers-model');
  const group = json.weightsManifest[0]!;
  const weightData = new Uint8Array(Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))))).buffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: group.weights, weightData }));
}

/** max |a − b| / max |b|. */
function relativeDiff(a: Tensor, b: Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!);
}

/**
 * Imports the model `make` builds, trains it, saves it, and checks both loaders against it.
 * tfjs's `predict` runs the same float32 kernels on the same bytes; only the order of a few
 * elementwise ops differs (batch norm's affine step; the final softmax, which the import leaves
 * to the loss and the test applies), which moves results by a few ulps: 1e-6 of the scale.
 */
async function roundTrip(make: () => tfl.LayersModel, data: Dataset, check: (model: ImportedModel) => void): Promise<void> {
  const before = tf.memory().numTensors;
  const source = make();
  const model = importLayersModel(source);
  check(model);
  const initial = values(model);
  await trainSteps(model, data);
  const trained = values(model);
  // Training moved every weight (batch norm's running statistics included): a file of the initial ones fails below.
  for (const [path, v] of trained) expect(v, path).not.toEqual(initial.get(path));

  const dir = join(tempDir(), 'nested', 'export');
  const atSave = tf.memory().numTensors;
  await saveModelFiles(model, dir);
  expect(tf.memory().numTensors).toBe(atSave);
  expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);

  const loaded = await tfjsLoad(dir);
  const x = tf.tensor(seeded([5, ...data.inputShape], 5), [5, ...data.inputShape]);
  const expected = loaded.predict(x) as Tensor;
  const out = tf.tidy(() => (model.imported.droppedSoftmax ? tf.softmax(model.apply(x)) : model.apply(x)));
  expect(relativeDiff(out, expected)).toBeLessThan(1e-6);
  tf.dispose([x, expected, out]);
  loaded.dispose();

  const again = await loadModelFile(join(dir, 'model.json'));
  expect(again.imported.path).toBe(model.imported.path);
  expect(values(again)).toEqual(trained);
  again.dispose();
  model.dispose();
  // On the fast path the import holds copies; on the generic one disposing it disposed the source.
  if (model.imported.path === 'fast') source.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

describe('saveModelFiles', () => {
  it('writes a trained tf.sequential MLP that tf.loadLayersModel and loadModelFile read back', async () => {
    const make = () => tfl.sequential({ name: 'mlp', layers: [tfl.layers.dense({ units: 8, activation: 'tanh', inputShape: [4] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    await roundTrip(make, dataset([4], 3), (model) => expect(model.imported.droppedSoftmax).toBe(true));
  });

  it('writes a trained functional CNN with batch norm and a residual Add (weights and running statistics)', async () => {
    const make = () => {
      const input = tfl.input({ shape: [6, 6, 2] });
      const stem = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(input) as tfl.SymbolicTensor;
      const bn = tfl.layers.batchNormalization().apply(stem) as tfl.SymbolicTensor;
      const relu = tfl.layers.activation({ activation: 'relu' }).apply(bn) as tfl.SymbolicTensor;
      const branch = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }).apply(relu) as tfl.SymbolicTensor;
      const sum = tfl.layers.add().apply([branch, stem]) as tfl.SymbolicTensor;
      const pooled = tfl.layers.globalAveragePooling2d({}).apply(sum) as tfl.SymbolicTensor;
      const out = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(pooled) as tfl.SymbolicTensor;
      return tfl.model({ inputs: input, outputs: out, name: 'res-cnn' });
    };
    await roundTrip(make, dataset([6, 6, 2], 3), (model) => {
      expect(model.imported.path).toBe('fast');
      expect(model.origin.weights.filter((w) => w.kind === 'state').map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    });
  });

  it('writes a model on the generic path (an LSTM) from the Layers model’s own variables', async () => {
    const make = () => tfl.sequential({ name: 'rnn', layers: [tfl.layers.lstm({ units: 3, inputShape: [4, 2] }), tfl.layers.dense({ units: 2 })] });
    await roundTrip(make, dataset([4, 2], 2), (model) => expect(model.imported.path).toBe('generic'));
  });

  it('refuses an unwritable folder and a failed write with one line, leaving no model.json', async () => {
    const source = tfl.sequential({ name: 'tiny', layers: [tfl.layers.dense({ units: 2, inputShape: [3] })] });
    const model = importLayersModel(source);
    source.dispose();
    const root = tempDir();
    writeFileSync(join(root, 'a-file'), 'not a folder');
    const error = await saveModelFiles(model, join(root, 'a-file', 'export')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelExportError);
    expect((error as ModelExportError).code).toBe('MODEL_EXPORT');
    expect((error as Error).message).toMatch(/a-file\/export: cannot create the folder for the model \(.*\); give a writable folder$/);
    expect((error as Error).message).not.toContain('\n');

    // model.json's temporary name taken by a folder: the shard is written, model.json cannot be; neither is left.
    const dir = join(root, 'half');
    mkdirSync(join(dir, `.model.json.${process.pid}.tmp`), { recursive: true });
    await expect(saveModelFiles(model, dir)).rejects.toThrow(/half\/model\.json: cannot write the model file \(.*\); give a writable folder with room for it$/);
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
    expect(readdirSync(dir)).toEqual([`.model.json.${process.pid}.tmp`]);

    model.dispose();
    await expect(saveModelFiles(model, join(root, 'late'))).rejects.toThrow(/tiny: weight 'dense_Dense\d+\/kernel' \(param 0\.w\) is no longer in the model/);
  });
});
