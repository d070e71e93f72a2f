import { plannedBackendTraits, selectBackend, tf, type RunRecord, type TrainResult } from '@overparam/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseRunConfig } from '../config/config';
import { DEFAULT_REPLICAS, formReplicaGroups, planReplicaGroups, presetReplicas, Rendezvous, replicaGroupKey, runGroup } from './replica-group';
import { directoryStore } from '../store/directory';
import type { RunSummary } from '../store/summary';
import { sweepCells, parseSweep } from '../sweep/sweep';
import { runSweep, sweepStore } from '../sweep/sweep-runner';

const root = await mkdtemp(join(tmpdir(), 'overparam-replicas-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const timeless = (records: readonly RunRecord[]) => records.map(({ seconds: _s, ...r }) => r);
// The records' checksum covers their timings (compared without them above); their count stays.
const batched = () => 'batched' as const;
const lasting = ({ seconds: _a, trainSeconds: _b, records, ...rest }: RunSummary) => ({ ...rest, recordCount: records?.count });

// Three rates per seed, one of which diverges; a metric hook on each replica's own parameters.
const sweep = {
  name: 'rates',
  base: { arch: 'mlp', archOptions: { depth: 2, width: 16 }, data: 'synthetic', steps: 40, batchSize: 16, logEvery: 5, backend: 'cpu', optimizer: { name: 'sgd', momentum: 0.9 }, metrics: [{ name: 'weight-movement', every: 20 }] },
  grid: { lr: [0.05, 0.01, 300] },
  seeds: [0, 1],
};

describe('replica groups', () => {
  test('runs differing in seed, rate and optimizer numbers share a key; a shape or the update rule does not', () => {
    const base = parseRunConfig({ arch: 'mlp', data: 'synthetic' });
    const key = replicaGroupKey(base);
    expect(replicaGroupKey(parseRunConfig({ arch: 'mlp', data: 'synthetic', seed: 4, lr: 0.3, optimizer: { name: 'sgd', momentum: 0.5 } }))).toBe(key);
    expect(replicaGroupKey(parseRunConfig({ arch: 'mlp', data: 'synthetic', archOptions: { width: 7 } }))).not.toBe(key);
    expect(replicaGroupKey(parseRunConfig({ arch: 'mlp', data: 'synthetic', optimizer: { name: 'sgd', nesterov: true, momentum: 0.9 } }))).not.toBe(key);
    expect(replicaGroupKey(parseRunConfig({ arch: 'mlp', data: 'synthetic', optimizer: { name: 'adam' } }))).not.toBe(key);
  });

  test('groups hold at most N, or with auto are spread over the lanes, in the cells’ order', () => {
    const configs = [1, 2, 3, 4, 5].map((seed) => parseRunConfig({ arch: 'mlp', data: 'synthetic', seed }));
    const other = parseRunConfig({ arch: 'mlp', data: 'synthetic', archOptions: { width: 3 } });
    const items = [...configs, other];
    expect(formReplicaGroups(items, (c) => c, 2, batched).map((g) => g.length)).toEqual([2, 2, 1, 1]);
    expect(formReplicaGroups(items, (c) => c, 'auto', batched, 2).map((g) => g.length)).toEqual([3, 2, 1]);
    expect(formReplicaGroups(items, (c) => c, 1, batched).map((g) => g.length)).toEqual([1, 1, 1, 1, 1, 1]);
    // A backend that steps a group's members one after another gets no groups.
    expect(formReplicaGroups(items, (c) => c, 'auto', () => 'sequential').map((g) => g.length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test('a sweep plans its groups from the traits its backend declares, before any backend loads', async () => {
    expect((await plannedBackendTraits('wasm')).replicaSteps).toBe('sequential');
    expect((await plannedBackendTraits('cpu')).replicaSteps).toBe('batched');
    const configs = [1, 2, 3].map((seed) => parseRunConfig({ arch: 'mlp', data: 'synthetic', seed, backend: 'wasm' }));
    expect((await planReplicaGroups(configs, (c) => c, 'auto')).map((g) => g.length)).toEqual([1, 1, 1]);
    expect((await planReplicaGroups(configs.map((c) => ({ ...c, backend: 'cpu' })), (c) => c, 'auto')).map((g) => g.length)).toEqual([3]);
  });

  test('on wasm (sequential group steps) a sweep with --replicas auto runs every cell alone: run.json records no group', async () => {
    const dir = join(root, 'wasm');
    try {
      const onWasm = { ...sweep, base: { ...sweep.base, backend: 'wasm', steps: 5, metrics: [] } };
      const report = await runSweep(onWasm, { outDir: dir, replicas: 'auto' });
      expect(report.ran).toBe(6);
      for (const cell of sweepCells(parseSweep(onWasm))) {
        const info = await sweepStore(dir).readInfo(cell.id);
        expect(info?.backend).toBe('wasm');
        expect(info?.attempts.map((a) => a.replicas)).toEqual([undefined]);
      }
      // A group asked for directly (runGroup, no sweep to plan it) trains its members one by one there, and records no group either.
      const store = directoryStore(join(root, 'wasm-group'));
      const settled = await runGroup([0, 1].map((seed) => ({ id: `w${seed}`, config: { ...onWasm.base, lr: 0.05, seed } })), { store });
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
      for (const id of ['w0', 'w1']) expect((await store.readInfo(id))?.attempts.map((a) => a.replicas)).toEqual([undefined]);
    } finally {
      await selectBackend('cpu');
    }
  });

  test('a sweep in replica groups writes, cell by cell, the run directories of the sweep run alone', async () => {
    const cells = sweepCells(parseSweep(sweep));
    const alone = join(root, 'alone');
    const grouped = join(root, 'grouped');
    await runSweep(sweep, { outDir: alone, replicas: 1 });
    const before = tf.memory().numTensors;
    const report = await runSweep(sweep, { outDir: grouped, replicas: 'auto' });
    expect(tf.memory().numTensors).toBe(before);
    expect(report.outcomes).toMatchObject({ completed: 4, diverged: 2 });
    for (const cell of cells) {
      const a = sweepStore(alone);
      const g = sweepStore(grouped);
      expect(timeless(await g.readRecords(cell.id))).toEqual(timeless(await a.readRecords(cell.id)));
      expect(lasting((await g.readSummary(cell.id))!)).toEqual(lasting((await a.readSummary(cell.id))!));
    }
  });

  test('a sweep keeps its planned groups in a shard and after a resume: a cell never meets other partners', async () => {
    const quick = { ...sweep, base: { ...sweep.base, steps: 5, metrics: [] } };
    const cells = sweepCells(parseSweep(quick));
    // Planned over all six cells, groups of three: cells 0–2 and cells 3–5.
    const groupSizes = async (dir: string) => Promise.all(cells.map(async (c) => (await sweepStore(dir).readInfo(c.id))?.attempts.map((a) => a.replicas) ?? null));
    const shard = join(root, 'shard-0');
    const report = await runSweep(quick, { outDir: shard, replicas: 3, shard: { index: 0, count: 2 } });
    expect(report.cells).toBe(3);
    expect(await sweepStore(shard).list()).toEqual(cells.slice(0, 3).map((c) => c.id).sort());
    expect(await groupSizes(shard)).toEqual([[3], [3], [3], null, null, null]);
    // Cell 0 ended before the sweep ran (as after a kill between two summaries): its partners train as a group of two, and cell 3 stays with 4 and 5.
    const resumed = join(root, 'partly-ended');
    await runSweep(quick, { outDir: resumed, replicas: 1, shard: { index: 0, count: 6 } });
    await runSweep(quick, { outDir: resumed, replicas: 3 });
    expect(await groupSizes(resumed)).toEqual([[undefined], [2], [2], [3], [3], [3]]);
  });

  test('a stopped group resumes every unfinished replica exactly (records byte-identical, timings aside)', async () => {
    const store = directoryStore(join(root, 'group'));
    const members = [0.05, 0.02, 0.01].map((lr, i) => ({ id: `m${i}`, config: { ...sweep.base, steps: 60, lr, seed: i, optimizer: { name: 'adam' }, checkpointEverySteps: 15 } }));
    const whole = directoryStore(join(root, 'whole'));
    await runGroup(members, { store: whole });
    const controller = new AbortController();
    const first = await runGroup(members, { store, signal: controller.signal, onProgress: (_m, p) => p.step >= 25 && controller.abort() });
    expect(first.map((s) => s.status === 'fulfilled' && s.value.summary.outcome)).toEqual(['aborted', 'aborted', 'aborted']);
    const resumed = await runGroup(members, { store, resume: 'if-unfinished' });
    expect(resumed.every((s) => s.status === 'fulfilled')).toBe(true);
    for (const m of members) {
      const strip = (rs: readonly RunRecord[]) => JSON.stringify(timeless(rs));
      expect(strip(await store.readRecords(m.id))).toBe(strip(await whole.readRecords(m.id)));
      expect(lasting((await store.readSummary(m.id))!)).toEqual(lasting((await whole.readSummary(m.id))!));
    }
  });
});

describe('presetReplicas', () => {
  test('a group trains its members in member order, whatever order they arrive in', async () => {
    // A replica's place in the batched kernels can move its last digits (node), so the order must not follow file-system timing.
    const seen: unknown[][] = [];
    const meeting = new Rendezvous(3, async (runs) => {
      seen.push(runs.map((r) => r.config));
      return runs.map(() => ({}) as TrainResult);
    });
    const arrive = (member: number) => meeting.trainer(member)({} as never, {} as never, { member } as never, {});
    const results = [arrive(2), arrive(0)];
    meeting.leave(1);
    await Promise.all(results);
    expect(seen).toEqual([[{ member: 0 }, { member: 2 }]]);
  });

  test('the caller’s --replicas wins, then the preset’s own choice, then the sweeps’ default', () => {
    expect(presetReplicas({ replicas: 'auto' }, 1)).toBe(1);
    expect(presetReplicas({ replicas: 'auto' }, 4)).toBe(4);
    expect(presetReplicas({ replicas: 'auto' })).toBe('auto');
    expect(presetReplicas({})).toBe(DEFAULT_REPLICAS);
    expect(presetReplicas({}, 'auto')).toBe('auto');
  });
});
