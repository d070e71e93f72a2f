import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, inject, it } from 'vitest';
import { chromiumArgsWithoutWebgpu } from '../../../tools/browser/chromium.ts';
import { liveMetrics } from '../src/playground-state.ts';
import { browserFor, open } from './page.ts';
import { HANG_CEILING_MS } from '../../../test/helpers/hang-ceiling.ts';

/**
 * A small CNN for the synthetic set's 784 inputs and 10 classes (a reshape, a strided convolution,
 * batch norm, a softmax head), saved the way tfjs's own `model.save` writes it: model.json and one
 * weight shard. Returns the two paths.
 */
async function writeModel(): Promise<{ json: string; shard: string }> {
  const model = tf.sequential({ name: 'tiny-cnn' });
  model.add(tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
  model.add(tf.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, activation: 'relu' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  const dir = await mkdtemp(join(tmpdir(), 'overparam-playground-model-'));
  const json = join(dir, 'model.json');
  const shard = join(dir, 'group1-shard1of1.bin');
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      await writeFile(shard, weights);
      const manifest = [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }];
      await writeFile(json, JSON.stringify({ format: 'layers-model', generatedBy: 'TensorFlow.js', modelTopology: artifacts.modelTopology, weightsManifest: manifest }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return { json, shard };
}

describe('the playground given the user’s own model', () => {
  const browser = browserFor(chromiumArgsWithoutWebgpu);
  const url = pathToFileURL(inject('playgroundHtml')).href;

  it('loads model.json and its shard from disk, says which path it took, and trains it with live confusion and spectrum', async () => {
    const { json, shard } = await writeModel();
    const runs = [{ arch: 'mlp', archOptions: { depth: 1, width: 8 }, data: 'synthetic', steps: 4, logEvery: 1, backend: 'cpu', metrics: liveMetrics(2) }];
    const { page, problems, leaving } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);

    // model.json alone: its shard is named, and nothing changes.
    await page.setInputFiles('#upload-model', [json]);
    await page.waitForSelector('#status.problem');
    expect(await page.textContent('#status')).toMatch(/^could not load the model: group1-shard1of1\.bin: weight shard listed in model\.json cannot be read \(group1-shard1of1\.bin is not among the chosen files; choose it together with model\.json\)/);
    expect(await page.inputValue('select[name=arch]')).toBe('mlp');

    await page.setInputFiles('#upload-model', [json, shard]);
    await page.waitForSelector('#status:not(.problem)');
    expect(await page.textContent('#status')).toBe('tiny-cnn: fast path, 5 layers as core primitives; its final softmax is left to the loss (outputs are logits)');
    expect(await page.inputValue('select[name=arch]')).toBe('uploaded:tiny-cnn');
    expect(await page.$$eval('select[name=arch] option', (options) => options.map((o) => o.textContent))).toContain('mlp');

    await page.click('#train');
    await page.waitForSelector('.run-status[data-outcome]', { timeout: HANG_CEILING_MS });
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('completed');
    // conv 3·3·1·2 + 2, batch norm 2 + 2 (its running statistics are state), dense 13·13·2·10 + 10.
    expect(await page.textContent('.run-status')).toMatch(/^tiny-cnn \(3,414 parameters\) on synthetic; backend cpu \(as asked\) — done: 4 steps/);
    for (const id of ['training-loss', 'cosine-density', 'gram-spectrum', 'weight-movement']) {
      const marks = await page.locator(`figure[data-figure="${id}"] g.mark-line path, figure[data-figure="${id}"] g.mark-area path, figure[data-figure="${id}"] g.mark-symbol path`).count();
      expect(marks, id).toBeGreaterThan(0);
    }

    // A link carries the settings, not the files.
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    expect(await page.textContent('#status')).toBe('run 1 of the link trains the model you loaded, tiny-cnn, which a link cannot carry; load its model.json and weight shards again. Showing the default run');
    expect(problems).toEqual([]);
    expect(leaving).toEqual([]);
    await page.close();
  });
});
