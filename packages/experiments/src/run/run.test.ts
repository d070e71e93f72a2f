import { ConfigError, OverparamError, tf, type RunRecord } from '@overparam/core';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run } from './run';
import { directoryStore } from '../store/directory';
import { memoryStore } from '../store/memory';
import type { RunStore } from '../store/types';

const root = await mkdtemp(join(tmpdir(), 'overparam-run-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// The unit project runs on cpu; asking for it by name keeps `auto` from switching backends.
const tiny = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 50, batchSize: 32, logEvery: 10, backend: 'cpu' };
const store = directoryStore(root);

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}
const timeless = (records: readonly RunRecord[]) => records.map(({ seconds: _s, ...r }) => r);
/** A summary without its timings; the records' checksum covers their `seconds`, so only their count is kept. */
function withoutTimes<T extends { seconds: number; trainSeconds: number; records?: { count: number } }>(summary: T) {
  const { seconds: _a, trainSeconds: _b, records, ...rest } = summary;
  return { ...rest, recordCount: records?.count };
}

describe('run into a directory store', () => {
  test('writes config.json (the resolved config), run.json, metrics.jsonl and summary.json', async () => {
    const progress: number[] = [];
    const { summary, config } = await run(tiny, { store, id: 'tiny', onProgress: (p) => progress.push(p.step) });
    const dir = join(root, 'tiny');

    expect(await readJson(join(dir, 'config.json'))).toEqual(JSON.parse(JSON.stringify(config)));
    expect(await readJson(join(dir, 'run.json'))).toMatchObject({
      backend: 'cpu',
      backendSkipped: [],
      // The cpu backend fixes nothing when it loads.
      backendSettings: {},
      // 784·16 + 16 + 16·10 + 10
      model: { name: 'MLP-1-16', paramCount: 12_730, options: { inputDim: 784, outputDim: 10 } },
      attempts: [{ fromStep: 0 }],
    });
    const records = await store.readRecords('tiny');
    expect(records.filter((r) => r.kind === 'train').map((r) => r.step)).toEqual([10, 20, 30, 40, 50]);
    expect(progress).toEqual([10, 20, 30, 40, 50]);
    expect(await readJson(join(dir, 'summary.json'))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(summary).toMatchObject({ outcome: 'completed', steps: 50, requestedSteps: 50, modelName: 'MLP-1-16', paramCount: 12_730, backend: 'cpu' });
    // 2,000 training examples in batches of 32: 62 steps per epoch.
    expect(summary.epochs).toBeCloseTo(50 / 62, 12);
    for (const key of ['finalTrainLoss', 'trainAccuracy', 'lastBatchLoss', 'testAccuracy', 'testLoss'] as const) expect(Number.isFinite(summary[key]), key).toBe(true);
    expect(await store.status('tiny')).toBe('completed');
    expect(await store.list()).toContain('tiny');
    // The end-of-loop checkpoint is there for `measure --checkpoint`.
    expect(existsSync(join(dir, 'checkpoint', 'checkpoint.json'))).toBe(true);
  });

  test('refuses a directory that holds a run, and returns a finished run as it is when resuming', async () => {
    const error = await run(tiny, { store, id: 'tiny' }).catch((e: unknown) => e);
    expect((error as OverparamError).code).toBe('RUN_EXISTS');
    const again = await run(tiny, { store, id: 'tiny', resume: 'if-unfinished' });
    expect(again.alreadyEnded).toBe(true);
    const other = await run({ ...tiny, lr: 0.1 }, { store, id: 'tiny', resume: 'if-unfinished' }).catch((e: unknown) => e);
    expect((other as OverparamError).code).toBe('RUN_MISMATCH');
    expect((other as Error).message).toContain('lr differ');
  });

  test('a diverged run ends `diverged` with the reason, numbers or null, never strings', async () => {
    const { summary } = await run({ ...tiny, archOptions: { depth: 1, width: 16, activation: 'identity' }, loss: 'square', lr: 1e6, logEvery: 1 }, { store, id: 'diverged' });
    expect(summary.outcome).toBe('diverged');
    expect(summary.divergence!.reason).toMatch(/exceeds 1000 × the initial loss|non-finite/);
    expect(summary.steps).toBe(summary.divergedAtStep);
    expect(summary).toMatchObject({ finalTrainLoss: null, trainAccuracy: null, testAccuracy: null, testLoss: null });
    const text = await readFile(join(root, 'diverged', 'summary.json'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect((await store.readRecords('diverged')).at(-1)).toMatchObject({ kind: 'diverged', step: summary.divergedAtStep });
  });

  test.each([
    [{ ...tiny, arch: 'resnet' }, 'arch'],
    [{ ...tiny, data: 'cifar' }, 'data'],
    [{ ...tiny, backend: 'tpu' }, 'backend'],
    [{ ...tiny, archOptions: { depth: 1, width: 16, init: { name: 'strategy-4.1', kappa: -1 } } }, 'archOptions.init.kappa'],
    [{ ...tiny, loss: 'logistic' }, 'loss'],
    [{ ...tiny, batchSize: 5000 }, 'batchSize'],
    [{ ...tiny, divergenceFactor: 1 }, 'divergenceFactor'],
  ])('rejects %j before writing anything (field %s)', async (config, field) => {
    const before = tf.memory().numTensors;
    const error = await run(config, { store, id: `bad-${field}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect(existsSync(join(root, `bad-${field}`))).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('an unwritable or special directory is a one-line RUN_IO error (no spin: on /proc, Node\'s recursive mkdir never returned, which the test ceiling catches)', async () => {
    for (const path of ['/proc/overparam-x', '/dev/null/x']) {
      const special = directoryStore(path);
      const error = await run({ ...tiny, steps: 1 }, { store: special, id: 'run' }).catch((e: unknown) => e);
      expect((error as OverparamError).code, path).toBe('RUN_IO');
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  test('the tensor count is flat across 20 consecutive runs in one process', async () => {
    const memory = memoryStore();
    await run({ ...tiny, steps: 2 }, { store: memory, id: 'warm-up' });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await run({ ...tiny, steps: 3, seed: i, metrics: [{ name: 'weight-movement', every: 1 }] }, { store: memory, id: `run-${i}` });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('stopping and resuming', () => {
  const config = { ...tiny, optimizer: { name: 'sgd', momentum: 0.9 }, steps: 40, logEvery: 3, checkpointEverySteps: 7, metrics: [{ name: 'weight-movement', every: 5 }] };
  let reference: { records: RunRecord[]; summary: Awaited<ReturnType<typeof run>>['summary'] };

  test('an uninterrupted reference run', async () => {
    const { summary } = await run(config, { store, id: 'reference' });
    reference = { records: await store.readRecords('reference'), summary };
    expect(summary.outcome).toBe('completed');
  });

  test('a stopped run ends `aborted`, and resuming it gives the records and summary of the uninterrupted run', async () => {
    const controller = new AbortController();
    const stopped = await run(config, { store, id: 'stopped', signal: controller.signal, onProgress: (p) => p.step >= 13 && controller.abort() });
    expect(stopped.summary).toMatchObject({ outcome: 'aborted', steps: 15, finalTrainLoss: null });
    expect(await store.status('stopped')).toBe('aborted');
    const resumed = await run(config, { store, id: 'stopped', resume: 'require' });
    expect(withoutTimes(resumed.summary)).toEqual(withoutTimes(reference.summary));
    expect(timeless(await store.readRecords('stopped'))).toEqual(timeless(reference.records));
    expect((await store.readInfo('stopped'))!.attempts.map((a) => a.fromStep)).toEqual([0, 15]);
  });

  test('a torn last line of metrics.jsonl is dropped on resume', async () => {
    const controller = new AbortController();
    await run(config, { store, id: 'torn', signal: controller.signal, onProgress: (p) => p.step >= 20 && controller.abort() });
    const path = join(root, 'torn', 'metrics.jsonl');
    await writeFile(path, `${await readFile(path, 'utf8')}{"kind":"train","st`);
    // Also what a kill leaves: no summary, so the run reads as running.
    await rm(join(root, 'torn', 'summary.json'));
    expect(await store.status('torn')).toBe('running');
    await run(config, { store, id: 'torn', resume: 'if-unfinished' });
    expect(timeless(await store.readRecords('torn'))).toEqual(timeless(reference.records));
  });

  test('a corrupt checkpoint is a typed error naming the file', async () => {
    const controller = new AbortController();
    await run(config, { store, id: 'corrupt', signal: controller.signal, onProgress: (p) => p.step >= 9 && controller.abort() });
    const dir = join(root, 'corrupt', 'checkpoint');
    const manifest = await readJson(join(dir, 'checkpoint.json'));
    const tensors = join(dir, String(manifest.tensorsFile));
    const bytes = await readFile(tensors);
    bytes[100] = bytes[100]! ^ 0xff;
    await writeFile(tensors, bytes);
    const error = await run(config, { store, id: 'corrupt', resume: 'require' }).catch((e: unknown) => e);
    expect((error as OverparamError).code).toBe('CHECKPOINT_CORRUPT');
    expect((error as Error).message).toContain(tensors);
    await writeFile(join(dir, 'checkpoint.json'), '{"format": "overparam-checkpoint", "vers');
    const error2 = await run(config, { store, id: 'corrupt', resume: 'require' }).catch((e: unknown) => e);
    expect((error2 as OverparamError).code).toBe('CHECKPOINT_CORRUPT');
    expect((error2 as Error).message).toContain(join(dir, 'checkpoint.json'));
  });

  test('a full disk fails the run with a clear error; once there is space, it resumes to the same result', async () => {
    const real = directoryStore(root);
    let budget = 9;
    // A store whose disk fills after 9 records: every write after that fails as the system would.
    const full: RunStore = {
      ...real,
      records: async (id) => {
        const writer = await real.records(id);
        return {
          ...writer,
          write: async (r) => {
            if (budget-- <= 0) {
              const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
              throw (await import('../store/files')).ioError('append to', join(root, id, 'metrics.jsonl'), e);
            }
            await writer.write(r);
          },
        };
      },
    };
    const error = await run(config, { store: full, id: 'full' }).catch((e: unknown) => e);
    expect((error as OverparamError).code).toBe('RUN_IO');
    expect((error as Error).message).toMatch(/no space left on device \(ENOSPC\)/);
    expect(await real.status('full')).toBe('failed');
    expect((await real.readSummary('full'))!.error!.code).toBe('RUN_IO');
    const resumed = await run(config, { store: real, id: 'full', resume: 'require' });
    expect(withoutTimes(resumed.summary)).toEqual(withoutTimes(reference.summary));
    expect(timeless(await real.readRecords('full'))).toEqual(timeless(reference.records));
  });
});

test('a memory store gives the numbers a directory store does', async () => {
  const memory = memoryStore();
  const a = await run(tiny, { store: memory, id: 'tiny' });
  const b = await store.readSummary('tiny');
  expect(withoutTimes(a.summary)).toEqual(withoutTimes(b!));
  expect(timeless(await memory.readRecords('tiny'))).toEqual(timeless(await store.readRecords('tiny')));
});

describe('full-batch gradient descent', () => {
  test("batchSize 'full' takes every training example each step: the same losses as a batch of exactly n, and config.json says 'full'", async () => {
    const regression = { arch: 'deep-linear', archOptions: { depth: 1 }, data: 'gaussian-regression', dataOptions: { n: 40, d: 12 }, loss: 'square', steps: 5, lr: 0.05, logEvery: 1, backend: 'cpu' };
    const full = await run({ ...regression, batchSize: 'full' }, { store: memoryStore(), id: 'full' });
    const exact = memoryStore();
    await run({ ...regression, batchSize: 40 }, { store: exact, id: 'n' });
    expect(full.config.batchSize).toBe('full');
    expect(full.summary.epochs).toBe(5);
    const losses = (records: readonly RunRecord[]) => records.filter((r) => r.kind === 'train').map((r) => r['loss'] as number);
    const fullStore = memoryStore();
    await run({ ...regression, batchSize: 'full' }, { store: fullStore, id: 'full' });
    const a = losses(await fullStore.readRecords('full'));
    const b = losses(await exact.readRecords('n'));
    expect(a).toHaveLength(5);
    // The same examples in a different order (each epoch is a permutation): float32 sums agree to rounding.
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 6));
    // Gradient descent on a convex quadratic with a small step: the loss falls every step.
    for (let i = 1; i < a.length; i++) expect(a[i]!).toBeLessThan(a[i - 1]!);
  });
});

