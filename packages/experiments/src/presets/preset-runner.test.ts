import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRESET_FILES, reproducePreset } from './preset-runner';
import { lockDirectory } from '../store/lock';
import { lastValue, passIf, settingOf, sweepOf } from './criteria';
import type { Preset, PresetSweep } from './preset';

const root = await mkdtemp(join(tmpdir(), 'overparam-preset-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const sweep: PresetSweep = {
  base: { arch: 'mlp', archOptions: { depth: 1, width: 8 }, data: 'synthetic', steps: 4, batchSize: 16, logEvery: 2, backend: 'cpu' },
  grid: { lr: [0.1, 0.01] },
  seeds: [0],
};

/** A preset whose criteria only echo what the runs wrote, so the test can check them against the files. */
const echo: Preset = {
  id: 'c0-echo',
  claim: 'A test preset whose criteria read the final minibatch loss of each run.',
  source: 'Sankararaman et al. (2020), none in particular (a test preset)',
  reading: 'nothing to read',
  figures: ['training-loss'],
  scales: { smoke: { sweeps: { a: sweep, b: { ...sweep, seeds: [1] } }, scaledDown: 'tiny' }, laptop: { sweeps: { a: sweep }, scaledDown: 'tiny' }, paper: { sweeps: { a: sweep }, scaledDown: 'tiny' } },
  criteria(results, scale) {
    return sweepOf(results, 'a').cells.map((c) => ({
      name: `${scale}: lr ${String(settingOf(c, 'lr'))} logged a loss`,
      verdict: passIf(lastValue(c, 'train', 'loss') !== undefined),
      measured: lastValue(c, 'train', 'loss') ?? null,
    }));
  },
};

describe('reproducePreset', () => {
  it('runs every sweep of the scale into its own directory, judges the criteria on the records and writes preset.json', async () => {
    const out = join(root, 'echo');
    const result = await reproducePreset(echo, { scale: 'smoke', outDir: out });
    expect(result.sweepDirs).toEqual([
      { key: 'a', dir: join(out, 'a') },
      { key: 'b', dir: join(out, 'b') },
    ]);
    expect(result.sweeps.map((s) => [s.name, s.ran])).toEqual([
      ['c0-echo-a', 2],
      ['c0-echo-b', 2],
    ]);
    expect(result.unfinished).toBe(0);
    expect(result.passed).toBe(true);
    // The measured values are the runs' own last train records.
    const cells = JSON.parse(await readFile(join(out, 'a', 'sweep.json'), 'utf8')) as { cells: Array<{ id: string; overrides: { lr: number } }> };
    for (const [i, cell] of cells.cells.entries()) {
      const records = (await readFile(join(out, 'a', 'runs', cell.id, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string; loss?: number });
      expect(result.criteria[i]).toEqual({ name: `smoke: lr ${cell.overrides.lr} logged a loss`, verdict: 'pass', measured: records.filter((r) => r.kind === 'train').at(-1)!.loss });
    }
    const written = JSON.parse(await readFile(join(out, PRESET_FILES.preset), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ id: 'c0-echo', scale: 'smoke', passed: true, unfinished: 0, criteria: JSON.parse(JSON.stringify(result.criteria)) });
    expect(JSON.parse(await readFile(join(out, PRESET_FILES.sweepFile('b')), 'utf8'))).toMatchObject({ name: 'c0-echo-b', seeds: [1] });

    // Run again: nothing reruns, the same criteria come out.
    const again = await reproducePreset(echo, { scale: 'smoke', outDir: out });
    expect(again.sweeps.map((s) => s.ran)).toEqual([0, 0]);
    expect(again.criteria).toEqual(result.criteria);
  });

  it('an inconclusive criterion does not fail the reproduction', async () => {
    const unsettled: Preset = { ...echo, criteria: () => [{ name: 'within the noise', verdict: 'inconclusive', measured: 1 }] };
    expect((await reproducePreset(unsettled, { scale: 'smoke', outDir: join(root, 'unsettled') })).passed).toBe(true);
  });

  it('applies overrides to every base config, and a failing criterion makes the reproduction fail', async () => {
    const failing: Preset = { ...echo, criteria: () => [{ name: 'never', verdict: 'fail', measured: 1 }, { name: 'reported', verdict: 'reported', measured: 2 }] };
    const result = await reproducePreset(failing, { scale: 'laptop', outDir: join(root, 'failing'), overrides: [{ path: 'steps', value: 2 }] });
    expect(result.passed).toBe(false);
    const config = JSON.parse(await readFile(join(root, 'failing', 'a', 'runs', readdirSync(join(root, 'failing', 'a', 'runs'))[0]!, 'config.json'), 'utf8')) as { steps: number };
    expect(config.steps).toBe(2);
  });

  it('a second reproduction into the same directory is refused at once, and the first lock is released at the end', async () => {
    const out = join(root, 'held');
    const held = await lockDirectory(out);
    const refused = await reproducePreset(echo, { scale: 'laptop', outDir: out }).catch((e: unknown) => e);
    await held.release();
    expect((refused as { code?: string }).code).toBe('RUN_LOCKED');
    expect(readdirSync(out)).toEqual([]);
    const done = await reproducePreset(echo, { scale: 'laptop', outDir: out });
    expect(done.passed).toBe(true);
    expect(readdirSync(out)).not.toContain('lock.json');
  });

  it('a reproduction stopped by its signal says how to resume instead of judging', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(reproducePreset(echo, { scale: 'paper', outDir: join(root, 'stopped'), signal: controller.signal })).rejects.toThrow(/run the same command again to resume/);
  });
});
