import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@overparam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelImportError } from './import-errors';
import { loadModelUrl } from './load-model';
import { outlineModelJson } from './model-files';
import { loadModelFile } from './node';

/** What tensorflowjs_converter writes for a Keras 2 Sequential: snake_case configs, no model_config wrapper. */
function kerasTopology(units: number, extraClass?: string) {
  const dense = (name: string, n: number, activation: string) => ({
    class_name: 'Dense',
    config: { name, trainable: true, dtype: 'float32', units: n, activation, use_bias: true, kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
  });
  const layers = [
    { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
    dense('dense', units, 'relu'),
    ...(extraClass === undefined ? [] : [{ class_name: extraClass, config: { name: 'mystery' } }]),
    dense('dense_1', 2, 'linear'),
  ];
  return { class_name: 'Sequential', config: { name: 'keras_mlp', layers }, keras_version: '2.12.0', backend: 'tensorflow' };
}

// Weights: kernel [4, 3], bias [3], kernel [3, 2], bias [2], in the manifest's order.
const shapes: Array<[string, number[]]> = [
  ['dense/kernel', [4, 3]],
  ['dense/bias', [3]],
  ['dense_1/kernel', [3, 2]],
  ['dense_1/bias', [2]],
];
const values = shapes.map(([, s], k) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(1 + 7 * k + i)));
const dirs: string[] = [];

/** Writes model.json and two shards (split inside the first kernel, as the converter splits by size). */
function writeModel(edit: { format?: string; units?: number; extraClass?: string; dropShard?: boolean; truncate?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'overparam-import-'));
  dirs.push(dir);
  const bytes = new Uint8Array(values.reduce((n, v) => n + v.byteLength, 0));
  let offset = 0;
  for (const v of values) {
    bytes.set(new Uint8Array(v.buffer), offset);
    offset += v.byteLength;
  }
  const cut = 22;
  writeFileSync(join(dir, 'group1-shard1of2.bin'), bytes.subarray(0, cut));
  if (edit.dropShard !== true) writeFileSync(join(dir, 'group1-shard2of2.bin'), bytes.subarray(cut, edit.truncate === true ? bytes.length - 3 : bytes.length));
  const json = {
    format: edit.format ?? 'layers-model',
    generatedBy: 'keras v2.12.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: kerasTopology(edit.units ?? 3, edit.extraClass),
    weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: shapes.map(([name, shape]) => ({ name, shape, dtype: 'float32' })) }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
  return join(dir, 'model.json');
}

/** relu(x·W0 + b0)·W1 + b1 in float64 from the values written to the shards. */
function reference(x: number[]): number[] {
  const [w0, b0, w1, b1] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
  const h = [0, 1, 2].map((j) => Math.max(0, b0[j]! + x.reduce((s, xi, i) => s + xi * w0[i * 3 + j]!, 0)));
  return [0, 1].map((j) => b1[j]! + h.reduce((s, hi, i) => s + hi * w1[i * 2 + j]!, 0));
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('loadModelFile', () => {
  it('loads a Keras-converter model.json with two weight shards and computes its forward pass', async () => {
    const before = tf.memory().numTensors;
    const model = await loadModelFile(writeModel());
    expect(model.name).toBe('keras_mlp');
    expect(model.imported.path).toBe('fast');
    const input = [0.5, -1, 2, 0.25];
    const x = tf.tensor2d([input]);
    const out = tf.tidy(() => model.apply(x));
    // float32 sums of 4 and 3 products of O(1) values: a few ulps of O(1).
    reference(input).forEach((v, j) => expect(out.dataSync()[j]).toBeCloseTo(v, 5));
    tf.dispose([x, out]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  const cases: Array<[string, Parameters<typeof writeModel>[0], RegExp]> = [
    ['an unknown layer class', { extraClass: 'MyCustomLayer' }, /layer 'mystery' has class 'MyCustomLayer'/],
    ['a missing shard', { dropShard: true }, /group1-shard2of2\.bin: weight shard listed in .*model\.json cannot be read/],
    ['a weight of the wrong shape', { units: 5 }, /weight 'dense\/kernel' of layer 'dense' has shape \[4, 3\] in the file but the layer needs \[4, 5\]/],
    ['another format', { format: 'graph-model' }, /has format 'graph-model', not 'layers-model'/],
    ['truncated weights', { truncate: true }, /hold 89 bytes but .* lists weights of 92 bytes; the weight files are truncated/],
  ];
  for (const [what, edit, message] of cases) {
    it(`names the file or layer for ${what}, in one line, leaving no tensors`, async () => {
      const before = tf.memory().numTensors;
      const error = await loadModelFile(writeModel(edit)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelImportError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('loads the same files over http (the browser entry), and names a shard the server does not have', async () => {
    const file = writeModel();
    const dir = file.slice(0, -'model.json'.length);
    const server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, req.url!.slice(1))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const model = await loadModelUrl(`${base}/model.json`);
      const x = tf.tensor2d([[1, 2, 3, 4]]);
      const out = tf.tidy(() => model.apply(x));
      reference([1, 2, 3, 4]).forEach((v, j) => expect(out.dataSync()[j]).toBeCloseTo(v, 5));
      tf.dispose([x, out]);
      model.dispose();
      rmSync(join(dir, 'group1-shard2of2.bin'));
      await expect(loadModelUrl(`${base}/model.json`)).rejects.toThrow(/group1-shard2of2\.bin: weight shard listed in .* cannot be read \(HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('says so when model.json is not JSON', async () => {
    const file = writeModel();
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    await expect(loadModelFile(file)).rejects.toThrow(/model\.json is not JSON/);
  });
});

describe('outlineModelJson', () => {
  it('lists the shards in manifest order and whether a layer is a convolution, and refuses a manifest without paths', () => {
    const file = writeModel();
    const bytes = new Uint8Array(readFileSync(file));
    expect(outlineModelJson(file, bytes)).toEqual({ shards: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], convolutional: false });
    expect(outlineModelJson(file, new Uint8Array(readFileSync(writeModel({ extraClass: 'Conv2D' })))).convolutional).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { weightsManifest: Array<{ paths?: unknown }> };
    delete json.weightsManifest[0]!.paths;
    expect(() => outlineModelJson(file, new TextEncoder().encode(JSON.stringify(json)))).toThrow(new ModelImportError(`${file} has a weightsManifest that is not a list of { paths, weights } groups; give the model.json that model.save or tensorflowjs_converter wrote`, { file }));
  });
});
