import { OverparamError } from '@overparam/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { kubernetesJob, slurmScript } from './emit';
import { pickLearningRate, type LrRunResult } from './lr-search';
import { inShard, parseShard, shardFromEnvironment } from './shard';
import type { RunSummary } from '../store/summary';
import { parseSweep, sweepCells } from './sweep';
import { mergeSweeps } from './sweep-merge';
import { lockDirectory } from '../store/lock';
import { runSweep, sweepStore } from './sweep-runner';
import { SWEEP_FILES } from './sweep-manifest';

const root = await mkdtemp(join(tmpdir(), 'overparam-sweep-'));
afterAll(() => rm(root, { recursive: true, force: true }));

// The example, on the cpu backend (the unit project's).
const example = {
  name: 'depth',
  base: { arch: 'mlp', archOptions: { width: 16, depth: 1 }, data: 'synthetic', steps: 20, backend: 'cpu' },
  grid: { 'archOptions.depth': [1, 2], lr: [0.1, 0.01] },
  seeds: [0, 1],
};

describe('sweep cells', () => {
  test('a 2×2 grid × 2 seeds is 8 runs, each a resolved config, with distinct ids', () => {
    const cells = sweepCells(parseSweep(example));
    expect(cells).toHaveLength(8);
    expect(new Set(cells.map((c) => c.id)).size).toBe(8);
    expect(cells.map((c) => [c.config.archOptions.depth, c.config.lr, c.config.seed])).toEqual([
      [1, 0.1, 0], [1, 0.1, 1], [1, 0.01, 0], [1, 0.01, 1], [2, 0.1, 0], [2, 0.1, 1], [2, 0.01, 0], [2, 0.01, 1],
    ]);
    expect(cells[0]!.config.archOptions).toEqual({ depth: 1, width: 16, activation: 'tanh', init: 'glorot-normal', bias: true });
  });

  test('ids depend on what a run computes, not on how the sweep file is written', () => {
    const ids = sweepCells(parseSweep(example)).map((c) => c.id);
    const reordered = sweepCells(parseSweep({ ...example, name: 'renamed', base: { steps: 20, backend: 'cpu', data: 'synthetic', archOptions: { width: 16 }, arch: 'mlp', lr: 0.05 } }));
    expect(new Set(reordered.map((c) => c.id))).toEqual(new Set(ids));
    const changed = sweepCells(parseSweep({ ...example, base: { ...example.base, steps: 21 } }));
    expect(changed.some((c) => ids.includes(c.id))).toBe(false);
  });

  test.each([
    [{ ...example, grdi: {} }, /sweep: grdi: not a known field/],
    [{ ...example, name: 'a b' }, /sweep name: use letters/],
    [{ ...example, grid: { 'archOptions.depth': [] } }, /sweep grid.archOptions.depth/],
    [{ ...example, grid: { 'archOptions.depht': [1] } }, /sweep cell \(archOptions.depht=1, seed=0\): archOptions.depht: is not a known field/],
    [{ ...example, grid: { 'archOptions.depth': [1], lr: [0.1, -1] } }, /sweep cell \(archOptions.depth=1, lr=-1, seed=0\): lr: .*>0/],
    [{ ...example, grid: { 'archOptions.depth': [1], lr: [0.1, 0.1] } }, /are the same run/],
    [{ ...example, lrSearch: { rule: 'arora-c1' } }, /sweep lrSearch.target/],
    [{ ...example, lrSearch: { rule: 'sankararaman-a1' } }, /learning rate is searched/],
  ])('rejects %j with a one-line SWEEP_INVALID error', (input, message) => {
    const cells = () => sweepCells(parseSweep(input));
    expect(cells).toThrow(expect.objectContaining({ code: 'SWEEP_INVALID', message: expect.stringMatching(message) }));
    expect(cells).not.toThrow('\n');
  });
});

describe('shards', () => {
  test('partition the cells: disjoint, and together all of them', () => {
    const cells = sweepCells(parseSweep(example));
    const parts = [0, 1, 2].map((index) => inShard(cells, { index, count: 3 }).map((c) => c.id));
    expect(parts.flat().sort()).toEqual(cells.map((c) => c.id).sort());
    expect(parts.map((p) => p.length)).toEqual([3, 3, 2]);
  });

  test('come from --shard, Slurm or Kubernetes, with clear errors', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/0 ≤ i < n/);
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toEqual({ index: 3, count: 4 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '2' })).toEqual({ index: 3, count: 4 });
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' }, 3)).toEqual({ index: 2, count: 3 });
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' })).toThrow(/--shard-count/);
    expect(shardFromEnvironment({})).toBeUndefined();
  });

  test('job scripts run every shard into its own directory', () => {
    const o = { sweepFile: '/s/depth.json', outDir: '/r/depth', name: 'depth', tasks: 4, command: 'npx overparam', jobs: 2 };
    const slurm = slurmScript(o);
    expect(slurm).toMatch(/^#!\/bin\/bash/);
    expect(slurm).toContain('#SBATCH --array=0-3');
    expect(slurm).toContain('#SBATCH --cpus-per-task=2');
    expect(slurm).toContain('npx overparam sweep /s/depth.json --out /r/depth/shard-"$SLURM_ARRAY_TASK_ID" --jobs 2');
    const k8s = kubernetesJob(o);
    expect(k8s).toContain('completionMode: Indexed');
    expect(k8s).toContain('completions: 4');
    expect(k8s).toContain('--shard-count 4');
  });
});

describe('learning-rate rules', () => {
  const summary = (outcome: RunSummary['outcome'], finalTrainLoss: number | null) => ({ outcome, finalTrainLoss }) as RunSummary;
  test('A.1: at least 8 of 10 runs complete, lowest mean final loss, a warning on the grid edge', () => {
    const results: LrRunResult[] = [];
    const grid = [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6];
    for (const lr of grid) {
      for (let seed = 0; seed < 10; seed++) {
        // lr 1 has the lowest losses but only 7 runs complete; 0.1 is the best eligible rate.
        const diverged = lr === 1 && seed < 3;
        results.push({ lr, summary: summary(diverged ? 'diverged' : 'completed', diverged ? null : lr === 1 ? 0.01 : Math.abs(Math.log10(lr) + 1) + 0.1 + seed * 1e-3), records: [] });
      }
    }
    const pick = pickLearningRate({ rule: 'sankararaman-a1' }, { 'archOptions.depth': 2 }, results);
    expect(pick.lr).toBe(0.1);
    expect(pick.onEdge).toBe(false);
    expect(pick.candidates.find((c) => c.lr === 1)).toMatchObject({ eligible: false, completed: 7 });
    expect(pick.reason).toMatch(/sankararaman-a1 picked lr 0.1: the lowest mean final training loss/);
    const edge = pickLearningRate({ rule: 'sankararaman-a1' }, {}, results.filter((r) => r.lr !== 1 && r.lr !== 0.1));
    expect(edge.lr).toBe(0.01);
    expect(edge.onEdge).toBe(false);
    const low = pickLearningRate({ rule: 'sankararaman-a1', grid: [0.1, 0.01] }, {}, results.filter((r) => r.lr === 0.1 || r.lr === 0.01));
    expect(low.onEdge).toBe(true);
    expect(low.reason).toMatch(/edge of the grid/);
  });

  test('C.1: the rate that first reaches the loss target', () => {
    const curve = (lr: number, reachAt: number | null) =>
      ({ lr, summary: summary('completed', 0.1), records: [10, 20, 30, 40].map((step) => ({ kind: 'train', step, epoch: 0, loss: reachAt !== null && step >= reachAt ? 0.05 : 1 })) }) as LrRunResult;
    const pick = pickLearningRate({ rule: 'arora-c1', target: 0.1, grid: [1e-3, 1e-2, 1e-1] }, {}, [curve(1e-3, null), curve(1e-2, 20), curve(1e-1, 30)]);
    expect(pick.lr).toBe(1e-2);
    expect(pick.candidates[0]).toMatchObject({ eligible: false, stepsToTarget: null });
    expect(pick.reason).toMatch(/fewest steps to loss 0.1/);
  });

  test('C.1 above the optimum: the target is on loss − optimum, each run offset by its own optimal-loss record', () => {
    // Losses 3.0 → 2.05 over the steps, optimum 2: loss − optimum reaches 0.1 at step 30 only.
    const curve = (lr: number, optimum: number | null) =>
      ({
        lr,
        summary: summary('completed', 2.05),
        records: [
          ...(optimum !== null ? [{ kind: 'optimal-loss', step: 0, epoch: 0, optimum }] : []),
          ...[10, 20, 30].map((step, i) => ({ kind: 'train', step, epoch: 0, loss: [3, 2.5, 2.05][i]! })),
        ],
      }) as LrRunResult;
    const plain = pickLearningRate({ rule: 'arora-c1', target: 0.1, grid: [1e-2, 1e-1] }, {}, [curve(1e-2, 2), curve(1e-1, 2)]);
    // Without the offset no loss is ≤ 0.1: nothing is eligible.
    expect(plain.lr).toBeNull();
    const above = pickLearningRate({ rule: 'arora-c1', target: 0.1, grid: [1e-2, 1e-1], aboveOptimum: true }, {}, [curve(1e-2, 2), curve(1e-1, 1)]);
    // lr 0.1's optimum is 1, so its loss − optimum never gets below 1.05.
    expect(above.lr).toBe(1e-2);
    expect(above.candidates[0]).toMatchObject({ stepsToTarget: 30, eligible: true });
    expect(above.candidates[1]).toMatchObject({ eligible: false, stepsToTarget: null });
    expect(above.reason).toMatch(/fewest steps to loss − optimum 0.1/);
    const missing = pickLearningRate({ rule: 'arora-c1', target: 0.1, grid: [1e-2, 1e-1], aboveOptimum: true }, {}, [curve(1e-2, null), curve(1e-1, null)]);
    expect(missing.lr).toBeNull();
    expect(missing.candidates[0]!.why).toMatch(/no optimal-loss record/);
  });
});

describe('running a sweep (in this process)', () => {
  const out = join(root, 'depth');

  test('runs every cell, and a rerun skips them all', async () => {
    const report = await runSweep(example, { outDir: out });
    expect(report.outcomes.completed).toBe(8);
    expect(report.ran).toBe(8);
    const again = await runSweep(example, { outDir: out });
    expect(again).toMatchObject({ ran: 0, outcomes: { completed: 8 } });
    expect(await sweepStore(out).list()).toHaveLength(8);
  });

  test('refuses a directory that holds another sweep', async () => {
    const refused = runSweep({ ...example, seeds: [5] }, { outDir: out });
    await expect(refused).rejects.toBeInstanceOf(OverparamError);
    await expect(refused).rejects.toMatchObject({ code: 'SWEEP_INVALID', message: expect.stringMatching(/holds another sweep \('depth', 8 cells\)/) });
  });

  test('records failed and diverged cells and goes on; failed ones are retried only when asked', async () => {
    const mixed = {
      name: 'mixed',
      base: { ...example.base, archOptions: { width: 8, depth: 1, activation: 'identity' }, loss: 'square', logEvery: 1 },
      // batchSize 5000 > the 2,000 examples: fails before starting; lr 1e6 diverges.
      grid: { lr: [0.01, 1e6], batchSize: [16, 5000] },
    };
    const report = await runSweep(mixed, { outDir: join(root, 'mixed') });
    expect(report.outcomes).toMatchObject({ completed: 1, diverged: 1, failed: 2 });
    expect(report.failedCells.map((f) => f.error)).toEqual([expect.stringMatching(/did not start: batchSize: 5000 exceeds/), expect.stringMatching(/did not start: batchSize/)]);
    const again = await runSweep(mixed, { outDir: join(root, 'mixed') });
    expect(again).toMatchObject({ ran: 0, outcomes: { completed: 1, diverged: 1, failed: 2 } });
    const retried = await runSweep(mixed, { outDir: join(root, 'mixed'), retryFailed: true });
    expect(retried.ran).toBe(2);
  });

  test('a cell another process is writing is reported unfinished with the reason, and runs on the next call', async () => {
    const dir = join(root, 'held');
    const spec = { ...example, name: 'held', grid: { lr: [0.1] }, seeds: [0, 1] };
    const [held] = sweepCells(parseSweep(spec));
    // Another writer of that cell: a live lock (this process's pid) on its run directory.
    const lock = await lockDirectory(join(dir, SWEEP_FILES.runs, held!.id));
    const report = await runSweep(spec, { outDir: dir });
    await lock.release();
    expect(report.outcomes).toMatchObject({ completed: 1, failed: 0, running: 1 });
    expect(report.unfinishedCells).toEqual([{ id: held!.id, error: expect.stringMatching(/is being written by/) }]);
    const again = await runSweep(spec, { outDir: dir });
    expect(again).toMatchObject({ ran: 1, outcomes: { completed: 2 }, unfinishedCells: [] });
  });

  test('merge joins shards, reports duplicates and missing cells, and equals the one-machine sweep', async () => {
    const shards = [0, 1, 2].map((index) => join(root, `shard-${index}`));
    for (const [index, dir] of shards.entries()) await runSweep(example, { outDir: dir, shard: { index, count: 3 } });
    const partial = await mergeSweeps(join(root, 'partial'), shards.slice(0, 2));
    expect(partial.missing).toHaveLength(2);
    const merged = await mergeSweeps(join(root, 'merged'), [...shards, shards[0]!]);
    expect(merged.missing).toEqual([]);
    expect(merged.duplicated.map((d) => d.shards.length)).toEqual([2, 2, 2]);
    const one = sweepStore(out);
    const joined = sweepStore(join(root, 'merged'));
    expect(await joined.list()).toEqual(await one.list());
    for (const id of await one.list()) {
      const timeless = (r: Array<Record<string, unknown>>) => r.map(({ seconds: _s, ...rest }) => rest);
      expect(timeless(await joined.readRecords(id))).toEqual(timeless(await one.readRecords(id)));
    }
  });

  test('an LR search runs the grid and says which rate it picked and why', async () => {
    const search = { name: 'lr', base: { ...example.base, archOptions: { width: 8, depth: 1 }, steps: 10 }, lrSearch: { rule: 'sankararaman-a1', grid: [0.5, 0.05, 0.005], runs: 2, minCompleted: 2 } };
    const report = await runSweep(search, { outDir: join(root, 'lr') });
    expect(report.cells).toBe(6);
    expect(report.lrPicks).toHaveLength(1);
    const pick = report.lrPicks![0]!;
    const means = pick.candidates.map((c) => c.meanFinalTrainLoss!);
    expect(pick.lr).toBe(pick.candidates[means.indexOf(Math.min(...means))]!.lr);
    expect(pick.reason).toContain(`picked lr ${pick.lr}`);
  });
});
