import { OverparamError, tf } from '@overparam/core';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run, type RunOptions } from './run';
import { configHash } from './run-integrity';
import { directoryStore } from '../store/directory';
import { memoryStore } from '../store/memory';
import { digestOfText } from '../store/records-digest';
import type { RunStore } from '../store/types';

const root = await mkdtemp(join(tmpdir(), 'overparam-integrity-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const tiny = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 120, batchSize: 32, logEvery: 10, checkpointEverySteps: 10, backend: 'cpu' };

/**
 * Starts a run and resolves once it is training (its first progress), with a way to stop it: the
 * moment a second writer meets it, whatever the machine's speed.
 */
async function training(store: RunStore, id: string) {
  const controller = new AbortController();
  let first!: () => void;
  const going = new Promise<void>((resolve) => (first = resolve));
  const options: RunOptions = { store, id, signal: controller.signal, onProgress: () => first() };
  const result = run(tiny, options);
  await Promise.race([going, result]);
  return { stop: async () => (controller.abort(), await result) };
}

describe('one writer per run', () => {
  test.each([
    ['a directory store', 'busy', () => directoryStore(root)],
    ['a memory store', 'busy', () => memoryStore()],
  ])('in %s, a second run of an id being written is refused (RUN_LOCKED) and the first ends as it would', async (_name, id, makeStore) => {
    const store = makeStore();
    const tensors = tf.memory().numTensors;
    const first = await training(store, id);
    const second = run(tiny, { store, id: id, resume: 'if-unfinished' });
    await expect(second).rejects.toBeInstanceOf(OverparamError);
    await expect(second).rejects.toMatchObject({ code: 'RUN_LOCKED', message: expect.stringMatching(/is being written by/) });
    const ended = await first.stop();
    expect(ended.summary.outcome).toBe('aborted');
    // Released: the same id resumes now, to the end.
    const resumed = await run(tiny, { store, id: id, resume: 'if-unfinished' });
    expect(resumed.summary).toMatchObject({ outcome: 'completed', steps: 120 });
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

describe('what a run records about itself', () => {
  test('summary.json counts and hashes metrics.jsonl as written, across a resume', async () => {
    const store = directoryStore(root);
    await (await training(store, 'digest')).stop();
    const ended = await run(tiny, { store, id: 'digest', resume: 'require' });
    const text = await readFile(join(root, 'digest', 'metrics.jsonl'), 'utf8');
    expect(ended.summary.records).toEqual(digestOfText(text));
    expect(ended.summary.records!.count).toBe(text.split('\n').length - 1);
  });

  test('the checkpoint records the resolved config and its hash; a field the recorded config lacks but defaults to is no edit', async () => {
    const store = directoryStore(root);
    await (await training(store, 'upgrade')).stop();
    const manifestPath = join(root, 'upgrade', 'checkpoint', 'checkpoint.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { runConfig: { hash: string; values: Record<string, unknown> } };
    const stored = await store.readConfig('upgrade');
    expect(manifest.runConfig).toEqual({ hash: configHash(stored!), values: stored });
    // As a checkpoint of a version without `divergenceFactor` (its default since) would hold it.
    const { divergenceFactor: _d, ...older } = manifest.runConfig.values;
    await writeFile(manifestPath, JSON.stringify({ ...manifest, runConfig: { hash: 'older', values: older } }));
    const resumed = await run(tiny, { store, id: 'upgrade', resume: 'require' });
    expect(resumed.summary.outcome).toBe('completed');
  });
});
