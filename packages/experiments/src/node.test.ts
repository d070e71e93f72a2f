import { ConfigError, tf } from '@overparam/core';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runExperiment } from './node';

const root = await mkdtemp(join(tmpdir(), 'overparam-experiments-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// The unit project runs on cpu; asking for it by name keeps `auto` from switching backends.
const tiny = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 50, batchSize: 32, logEvery: 10, backend: 'cpu' };

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

async function readLines(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('runExperiment', () => {
  test('writes config.json, metrics.jsonl and summary.json for a completed run', async () => {
    const outDir = join(root, 'tiny');
    const progress: number[] = [];
    const summary = await runExperiment(tiny, { outDir, onProgress: (p) => progress.push(p.step) });

    const config = await readJson(join(outDir, 'config.json'));
    expect(config).toMatchObject({
      arch: 'mlp',
      archOptions: { depth: 1, width: 16, activation: 'tanh', init: 'glorot-normal', bias: true },
      data: 'synthetic',
      lr: 0.05,
      steps: 50,
      backend: 'cpu',
      backendRequested: 'cpu',
      backendSkipped: [],
      // 784·16 + 16 + 16·10 + 10
      model: { name: 'MLP-1-16', paramCount: 12_730, options: { inputDim: 784, outputDim: 10 } },
    });

    const records = await readLines(join(outDir, 'metrics.jsonl'));
    const trainRecords = records.filter((r) => r.kind === 'train');
    expect(trainRecords.map((r) => r.step)).toEqual([10, 20, 30, 40, 50]);
    for (const r of trainRecords) expect(Number.isFinite(r.loss)).toBe(true);
    expect(progress).toEqual([10, 20, 30, 40, 50]);

    const onDisk = await readJson(join(outDir, 'summary.json'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(summary).toMatchObject({ outcome: 'completed', steps: 50, requestedSteps: 50, modelName: 'MLP-1-16', paramCount: 12_730, backend: 'cpu' });
    // 2,000 training examples in batches of 32: 62 steps per epoch.
    expect(summary.epochs).toBeCloseTo(50 / 62, 12);
    for (const key of ['finalTrainLoss', 'trainAccuracy', 'lastBatchLoss', 'testAccuracy', 'testLoss', 'seconds'] as const) {
      expect(Number.isFinite(summary[key]), key).toBe(true);
    }
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.testAccuracy).toBeLessThanOrEqual(1);
    expect(summary.lastBatchLoss).toBe(trainRecords.at(-1)!.loss);
    expect(summary.divergedAtStep).toBeUndefined();
  });

  test('records divergence as an outcome, with nulls where numbers would not be finite', async () => {
    const outDir = join(root, 'diverged');
    const summary = await runExperiment(
      { ...tiny, archOptions: { depth: 1, width: 16, activation: 'identity' }, loss: 'square', lr: 1e6, logEvery: 1 },
      { outDir },
    );
    expect(summary.outcome).toBe('diverged');
    expect(summary.divergedAtStep).toBeGreaterThan(0);
    expect(summary.steps).toBe(summary.divergedAtStep);
    expect(summary).toMatchObject({ finalTrainLoss: null, trainAccuracy: null, testAccuracy: null, testLoss: null });

    const text = await readFile(join(outDir, 'summary.json'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toMatchObject({ outcome: 'diverged', divergedAtStep: summary.divergedAtStep });
    const records = await readLines(join(outDir, 'metrics.jsonl'));
    expect(records.at(-1)).toMatchObject({ kind: 'diverged', step: summary.divergedAtStep });
  });

  test('leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    await runExperiment({ ...tiny, steps: 20 }, { outDir: join(root, 'leak') });
    expect(tf.memory().numTensors).toBe(before);
  });

  test('stops when aborted and says so', async () => {
    const controller = new AbortController();
    const summary = await runExperiment(
      { ...tiny, logEvery: 5 },
      { outDir: join(root, 'aborted'), signal: controller.signal, onProgress: (p) => p.step >= 10 && controller.abort() },
    );
    expect(summary).toMatchObject({ outcome: 'aborted', steps: 10, requestedSteps: 50, finalTrainLoss: null });
  });

  test.each([
    [{ ...tiny, arch: 'resnet' }, 'arch'],
    [{ ...tiny, data: 'cifar' }, 'data'],
    [{ ...tiny, backend: 'tpu' }, 'backend'],
    [{ ...tiny, archOptions: { depth: 1, width: 16, init: { name: 'strategy-4.1', kappa: -1 } } }, 'archOptions.init.kappa'],
    [{ ...tiny, loss: 'logistic' }, 'loss'],
    [{ ...tiny, batchSize: 5000 }, 'batchSize'],
  ])('rejects %j before writing anything (field %s)', async (config, field) => {
    const outDir = join(root, `bad-${field}`);
    const before = tf.memory().numTensors;
    const error = await runExperiment(config, { outDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect(existsSync(outDir)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('refuses a directory that already holds a run', async () => {
    const outDir = join(root, 'twice');
    await runExperiment({ ...tiny, steps: 0 }, { outDir });
    expect(await readFile(join(outDir, 'metrics.jsonl'), 'utf8')).toBe('');
    const error = await runExperiment({ ...tiny, steps: 0 }, { outDir }).catch((e: unknown) => e);
    expect((error as ConfigError).field).toBe('outDir');
  });
});
