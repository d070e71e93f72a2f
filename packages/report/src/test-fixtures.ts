import type { RunRecord } from '@overparam/core';

/**
 * The learning rate at which `fixtureRecords` gives a depth its lowest loss: 0.1/depth, so that
 * deeper nets want smaller rates, as in the papers' searches.
 */
export function fixtureBestRate(depth: number): number {
  return 0.1 / depth;
}

/**
 * Records shaped like the ones core's loop and metrics' hooks write, from closed forms, so tests
 * can compute what a figure must show independently of the code under test. Test-only.
 */
export function fixtureRecords(options: { depth: number; seed: number; steps?: number; logEvery?: number; cosines?: number; lr?: number }): RunRecord[] {
  const { depth, seed } = options;
  const lr = options.lr ?? 0.1;
  // Without a rate given, the losses are as they always were; with one, they grow by the square of
  // its distance in decades from the depth's best rate, so a rule picking the lowest loss picks the nearest rate.
  const lrFactor = options.lr === undefined ? 1 : 1 + Math.log10(lr / fixtureBestRate(depth)) ** 2;
  const steps = options.steps ?? 100;
  const logEvery = options.logEvery ?? 10;
  const records: RunRecord[] = [];
  const lambda0 = 0.5 / depth;
  records.push({ kind: 'spectrum', step: 0, epoch: 0, n: 16, of: 'output', lambdaMin: lambda0, lambdaMax: 10 * depth, condition: (10 * depth) / lambda0, trace: 20 });
  records.push({ kind: 'weight-movement', step: 0, epoch: 0, distance: 0, ratio: 0, initialNorm: 3, layers: { '0': { distance: 0, ratio: 0, initialNorm: 2 }, '1': { distance: 0, ratio: null, initialNorm: 0 } } });
  for (let step = logEvery; step <= steps; step += logEvery) {
    records.push({ kind: 'train', step, epoch: 0, loss: 2.3 * Math.exp(-step / (40 * depth)) * (1 + 0.1 * seed) * lrFactor, lr, seconds: step / 100 });
  }
  const cosines = Array.from({ length: options.cosines ?? 40 }, (_, i) => Math.sin(i * 1.7 + seed) * (0.9 - 0.1 * depth));
  records.push({ kind: 'spectrum', step: steps, epoch: 1, n: 16, of: 'output', lambdaMin: lambda0 * 0.8, lambdaMax: 12 * depth, condition: (12 * depth) / (lambda0 * 0.8), trace: 25 });
  records.push({ kind: 'confusion', step: steps, epoch: 1, n: 64, eta: 0.1, minCos: -0.2 * depth - 0.01 * seed, meanCos: 0.05 * seed, fractionNegative: 0.3 });
  records.push({ kind: 'minibatch-confusion', step: steps, epoch: 1, pairs: cosines.length, batchSize: 16, minCos: Math.min(...cosines), cosineValues: cosines });
  records.push({
    kind: 'weight-movement',
    step: steps,
    epoch: 1,
    distance: 0.3,
    ratio: 0.1 / depth,
    initialNorm: 3,
    layers: { '0': { distance: 0.2, ratio: 0.1 / depth + 0.01 * seed, initialNorm: 2 }, '1': { distance: 0.1, ratio: null, initialNorm: 0 } },
  });
  return records;
}

/**
 * A sweep directory in the layout experiments' sweeps write (sweep.json, runs/<id>/ written by
 * experiments' own `directoryStore`), depths 1 and 4 × seeds 0 and 1, from `fixtureRecords`.
 * `hostile` names the sweep and one run so tests can check they stay text. With `lrGrid`, every
 * depth runs every rate of it (a `sankararaman-a1` search over both seeds), and experiments' own
 * `pickRates` writes lr-search.json, as a sweep does once its cells have ended.
 */
export async function writeFixtureSweep(root: string, options: { hostile?: string; lrGrid?: readonly number[] } = {}): Promise<{ ids: string[] }> {
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { directoryStore, pickRates } = await import('@overparam/experiments/node');
  const { parseSweep } = await import('@overparam/experiments');
  const store = directoryStore(join(root, 'runs'));
  const searched = options.lrGrid !== undefined;
  // Without a search, every cell runs at lr 0.1, as a one-value grid.
  const rates = options.lrGrid ?? [0.1];
  const cells: Array<{ id: string; overrides: Record<string, unknown>; seed: number }> = [];
  for (const depth of [1, 4]) {
    for (const lr of rates) {
      for (const seed of [0, 1]) {
        const plainId = searched ? `d${depth}-lr${lr}-s${seed}` : `d${depth}-s${seed}`;
        const id = depth === 4 && seed === 1 && lr === rates[0] && options.hostile !== undefined ? options.hostile : plainId;
        cells.push({ id, overrides: { 'archOptions.depth': depth, lr }, seed });
        const records = fixtureRecords({ depth, seed, ...(searched ? { lr } : {}) });
        const config = { arch: 'mlp', archOptions: { depth, width: 8 }, data: 'synthetic', lr, steps: 100, seed, logEvery: 10, backend: 'cpu' };
        const model = { name: `MLP-${depth}-8`, paramCount: 100 * depth, options: {} };
        await store.create(id, config as never, { backend: 'cpu', backendSkipped: [], model, attempts: [{ startedAt: '2026-01-01T00:00:00.000Z', fromStep: 0 }] });
        const writer = await store.records(id);
        for (const r of records) await writer.write(r);
        await writer.close();
        const lastLoss = records.filter((r) => r.kind === 'train').at(-1)!.loss as number;
        await store.writeSummary(id, {
          outcome: 'completed',
          steps: 100,
          requestedSteps: 100,
          epochs: 1,
          finalTrainLoss: lastLoss,
          trainAccuracy: 0.9,
          lastBatchLoss: lastLoss,
          testAccuracy: 0.8 + 0.01 * depth + 0.001 * seed,
          testLoss: 0.5,
          loss: 'softmax-cross-entropy',
          paramCount: model.paramCount,
          modelName: model.name,
          backend: 'cpu',
          seconds: 1 + seed,
          trainSeconds: 1,
        });
      }
    }
  }
  const spec = searched
    ? { name: 'fixture-lr-search', base: { arch: 'mlp' }, grid: { 'archOptions.depth': [1, 4] }, seeds: [0, 1], lrSearch: { rule: 'sankararaman-a1', grid: rates, runs: 2, minCompleted: 2 } }
    : { name: 'fixture', base: { arch: 'mlp' }, grid: { 'archOptions.depth': [1, 4], lr: rates }, seeds: [0, 1] };
  await writeFile(join(root, 'sweep.json'), JSON.stringify({ ...spec, name: options.hostile ?? spec.name, cells }));
  // pickRates reads only the cells' ids and overrides; the run configs it would carry are in runs/.
  if (searched) await pickRates(root, parseSweep(spec), cells as never);
  return { ids: cells.map((c) => c.id) };
}
