import type { RunRecord } from '@overparam/core';
import { loadRuns, memoryStore, type RunConfig, type RunSource, type RunStatus, type RunSummary } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { datasetOf } from './chart-check';
import { buildReport } from './report-model';

/** An in-memory store: the report reads through the interface only, as it will read experiments' stores. */
function memorySource(runs: Record<string, { status: RunStatus; config?: object; summary?: Partial<RunSummary>; records?: RunRecord[] }>): RunSource {
  return {
    list: async () => Object.keys(runs),
    status: async (id) => runs[id]?.status ?? 'absent',
    readConfig: async (id) => runs[id]?.config as RunConfig | undefined,
    readInfo: async (id) => {
      const depth = (runs[id]?.config as { archOptions?: { depth?: number } } | undefined)?.archOptions?.depth;
      return depth === undefined ? undefined : { backend: 'cpu', backendSkipped: [], model: { name: `MLP-${depth}-8`, paramCount: 10, options: {} }, attempts: [] };
    },
    readSummary: async (id) => runs[id]?.summary as RunSummary | undefined,
    readRecords: async (id) => runs[id]?.records ?? [],
  };
}

const config = (depth: number, seed: number) => ({ arch: 'mlp', archOptions: { depth, width: 8 }, lr: 0.1, seed, backend: 'cpu' });

describe('loadRuns', () => {
  it('labels runs outside a sweep by what differs between their configs, seed aside', async () => {
    const source = memorySource({
      a: { status: 'completed', config: config(1, 0) },
      b: { status: 'completed', config: config(1, 1) },
      c: { status: 'diverged', config: config(3, 0) },
    });
    const runs = await loadRuns(source);
    expect(runs.map((r) => [r.id, r.setting, r.seed, r.status])).toEqual([
      ['a', 'depth=1', 0, 'completed'],
      ['b', 'depth=1', 1, 'completed'],
      ['c', 'depth=3', 0, 'diverged'],
    ]);
  });

  it('labels a lone run by its model, and sweep cells by their overrides', async () => {
    expect((await loadRuns(memorySource({ a: { status: 'completed', config: config(2, 0) } })))[0]!.setting).toBe('MLP-2-8');
    const sweep = { name: 's', cells: [{ id: 'x', overrides: { 'archOptions.width': 64, lr: 0.5 }, seed: 4 }] };
    const [run] = await loadRuns(memorySource({ x: { status: 'running', config: config(2, 4) } }), { sweep });
    expect([run!.setting, run!.seed, run!.settings]).toEqual(['width=64, lr=0.5', 4, { 'archOptions.width': 64, lr: 0.5 }]);
  });

  it('pools data draws like seeds: a swept or differing dataSeed is not a setting', async () => {
    const sweep = { name: 's', cells: [0, 1].map((dataSeed) => ({ id: `d${dataSeed}`, overrides: { 'archOptions.depth': 2, dataSeed }, seed: 0 })) };
    const source = memorySource({ d0: { status: 'completed', config: { ...config(2, 0), dataSeed: 0 } }, d1: { status: 'completed', config: { ...config(2, 0), dataSeed: 1 } } });
    expect((await loadRuns(source, { sweep })).map((r) => [r.setting, r.settings])).toEqual([
      ['depth=2', { 'archOptions.depth': 2 }],
      ['depth=2', { 'archOptions.depth': 2 }],
    ]);
    expect((await loadRuns(source)).map((r) => r.setting)).toEqual(['MLP-2-8', 'MLP-2-8']);
  });

  it('keeps cells that have not run in the table and out of the figures', async () => {
    const sweep = { name: 's', cells: [{ id: 'done', overrides: { lr: 0.1 }, seed: 0 }, { id: 'missing', overrides: { lr: 0.2 }, seed: 0 }] };
    const source = memorySource({ done: { status: 'completed', config: config(1, 0), records: [{ kind: 'train', step: 10, epoch: 0, loss: 1 }, { kind: 'train', step: 20, epoch: 0, loss: 0.5 }] } });
    const report = buildReport(await loadRuns(source, { sweep }), { title: 't', sweep });
    expect(report.runs.map((r) => [r.id, r.status])).toEqual([
      ['done', 'completed'],
      ['missing', 'absent'],
    ]);
    expect(datasetOf<{ run: string }>(report.figures[0]!.spec, 'points').map((p) => p.run)).toEqual(['done', 'done']);
  });

  it("reads experiments' own memory store", async () => {
    const store = memoryStore();
    await store.create('a', config(2, 5) as never, { backend: 'cpu', backendSkipped: [], model: { name: 'MLP-2-8', paramCount: 99, options: {} }, attempts: [] });
    const writer = await store.records('a');
    await writer.write({ kind: 'train', step: 10, epoch: 0, loss: 0.5 });
    await writer.close();
    const [run] = await loadRuns(store);
    expect([run!.id, run!.status, run!.seed, run!.setting, run!.info?.model.paramCount, run!.records.length]).toEqual(['a', 'running', 5, 'MLP-2-8', 99, 1]);
  });

  it('draws no curve from a single point, and says Gaussian where the config says strategy-4.1', async () => {
    const sweep = { name: 's', cells: [{ id: 'one', overrides: { 'archOptions.init.name': 'strategy-4.1' }, seed: 0 }] };
    const source = memorySource({ one: { status: 'completed', config: config(1, 0), records: [{ kind: 'train', step: 10, epoch: 0, loss: 1 }] } });
    const runs = await loadRuns(source, { sweep });
    expect(runs[0]!.setting).toBe('name=Gaussian (Strategy 4.1)');
    expect(buildReport(runs, { title: 't', sweep }).figures.map((f) => f.id)).not.toContain('training-loss');
  });
});
