import { tf, type RunRecord } from '@overparam/core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vsAdaptiveOptimizersPreset } from './c10-vs-adaptive-optimizers';
import { presetSweeps } from './registry';
import { reproducePreset } from './preset-runner';
import type { RunSummary } from '../store/summary';
import { sweepCells } from '../sweep/sweep';
import { sweepStore } from '../sweep/sweep-runner';

const root = await mkdtemp(join(tmpdir(), 'overparam-c10-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const timeless = (records: readonly RunRecord[]) => records.map(({ seconds: _s, ...r }) => r);
// The records' checksum covers their timings (compared without them above); their count stays.
const lasting = ({ seconds: _a, trainSeconds: _b, records, ...rest }: RunSummary) => ({ ...rest, recordCount: records?.count });

// Smoke scale, shortened and on half its examples: three logged losses per run are enough for the rate rule and the criteria to have numbers to differ in.
const overrides = [
  { path: 'backend', value: 'cpu' },
  { path: 'steps', value: 60 },
  { path: 'dataOptions.n', value: 256 },
];

describe('c10 in replica groups', () => {
  it('gives the criteria, rate picks and run records of the solo reproduction, its cells trained in groups per model by default', async () => {
    const solo = await reproducePreset(vsAdaptiveOptimizersPreset, { scale: 'smoke', outDir: join(root, 'solo'), overrides, replicas: 1 });
    const before = tf.memory().numTensors;
    // No `replicas`: the preset's own choice, as `overparam reproduce` without --replicas.
    const grouped = await reproducePreset(vsAdaptiveOptimizersPreset, { scale: 'smoke', outDir: join(root, 'grouped'), overrides });
    expect(tf.memory().numTensors).toBe(before);

    // The claims' numbers, as printed and as stored in preset.json, and each sweep's rate picks.
    expect(grouped.criteria).toEqual(solo.criteria);
    expect(grouped.criteria.some((c) => typeof c.measured === 'string' && /\d\.\d/.test(c.measured))).toBe(true);
    const presetJson = async (dir: string) => JSON.parse(await readFile(join(dir, 'preset.json'), 'utf8')) as unknown;
    expect(await presetJson(grouped.outDir)).toEqual(await presetJson(solo.outDir));
    expect(grouped.sweeps.map((s) => s.lrPicks)).toEqual(solo.sweeps.map((s) => s.lrPicks));

    const groupSizes: Record<string, number[]> = {};
    for (const { key, spec } of presetSweeps(vsAdaptiveOptimizersPreset, 'smoke', overrides)) {
      const [a, g] = [sweepStore(join(solo.outDir, key)), sweepStore(join(grouped.outDir, key))];
      groupSizes[key] = [];
      for (const cell of sweepCells(spec)) {
        expect(timeless(await g.readRecords(cell.id))).toEqual(timeless(await a.readRecords(cell.id)));
        expect(lasting((await g.readSummary(cell.id))!)).toEqual(lasting((await a.readSummary(cell.id))!));
        expect((await a.readInfo(cell.id))!.attempts[0]!.replicas).toBeUndefined();
        groupSizes[key].push((await g.readInfo(cell.id))!.attempts[0]!.replicas ?? 1);
      }
    }
    // One group per model: depth-3 GD's two rates; AdaGrad's two, AdaDelta's two; Adam's depths differ in shape, so each runs alone.
    expect(groupSizes).toEqual({ gd: [2, 2], adaptive: [2, 2, 2, 2], adam: [1, 1, 1] });
  });
});
