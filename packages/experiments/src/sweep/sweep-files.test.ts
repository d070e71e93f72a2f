import { OverparamError } from '@overparam/core';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSweep, sweepCells } from './sweep';
import { claimSweepDirectory, readLrPicks, readSweepDirectory, readSweepManifest } from './sweep-files';
import { SWEEP_FILES } from './sweep-manifest';

const root = await mkdtemp(join(tmpdir(), 'overparam-sweep-files-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const spec = parseSweep({ name: 'files', base: { arch: 'mlp', archOptions: { width: 4, depth: 1 }, data: 'synthetic', steps: 1, backend: 'cpu' }, grid: { lr: [0.1, 0.01] } });
const cells = sweepCells(spec);

describe('sweep directory files: each reader beside its writer', () => {
  test('sweep.json round-trips: a claimed directory reads back as the same cells', async () => {
    const dir = join(root, 'claimed');
    await claimSweepDirectory(dir, spec, cells, { verb: 'run', fix: 'choose another --out' });
    const back = await readSweepDirectory(dir);
    expect(back.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
    expect((await readSweepManifest(dir))!.cells.map((c) => c.id)).toEqual(cells.map((c) => c.id));
  });

  test('no sweep.json: the manifest and rate picks are absent, and `sweep cell`/merge say it is not a sweep directory', async () => {
    const dir = join(root, 'empty');
    await mkdir(dir);
    expect(await readSweepManifest(dir)).toBeUndefined();
    expect(await readLrPicks(dir)).toBeUndefined();
    await expect(readSweepDirectory(dir)).rejects.toMatchObject({ code: 'RUN_IO', message: `${dir} is not a sweep directory (it has no ${SWEEP_FILES.spec})` });
  });

  test('a cut-short sweep.json or lr-search.json is one line naming the file, from every reader (not a bare SyntaxError)', async () => {
    const dir = join(root, 'corrupt');
    await mkdir(dir);
    await writeFile(join(dir, SWEEP_FILES.spec), '{"name": "files", "cel');
    await writeFile(join(dir, SWEEP_FILES.lrSearch), '[{"lr": 0.1');
    for (const read of [readSweepDirectory, readSweepManifest, (d: string) => claimSweepDirectory(d, spec, cells, { verb: 'run', fix: 'x' })]) {
      // One line (no newline inside), naming the file; the fix where the reader has one.
      await expect(read(dir)).rejects.toMatchObject({ code: 'RUN_IO', message: expect.stringMatching(new RegExp(`^${join(dir, SWEEP_FILES.spec)} is not valid JSON \\([^\n]*\\)(; delete it or choose another --out)?$`)) });
      await expect(read(dir)).rejects.toBeInstanceOf(OverparamError);
    }
    await expect(readLrPicks(dir)).rejects.toMatchObject({ code: 'RUN_IO', message: expect.stringMatching(/lr-search\.json is not valid JSON \([^\n]*\); it may have been cut short$/) });
  });
});
