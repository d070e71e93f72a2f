import { run } from '@overparam/experiments';
import { runDirectory, runSweep } from '@overparam/experiments/node';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, temporaryRoot } from './test-cli';

const root = await temporaryRoot('overparam-integrity-');
const config = { arch: 'mlp', archOptions: { depth: 1, width: 16 }, data: 'synthetic', steps: 60, batchSize: 16, lr: 0.05, logEvery: 5, checkpointEverySteps: 10, backend: 'cpu' };

/** A run stopped after step 20 with a checkpoint, as Ctrl-C leaves one. */
async function stoppedRun(dir: string): Promise<void> {
  const controller = new AbortController();
  const result = await run(config, { ...runDirectory(dir), signal: controller.signal, onProgress: (p) => p.step >= 20 && controller.abort() });
  expect(result.summary.outcome).toBe('aborted');
}

const read = (dir: string, name: string) => readFile(join(dir, name), 'utf8');

describe('a run knows its own integrity', () => {
  it('refuses to resume a run whose config.json was edited, listing the change; undone, it resumes', async () => {
    const dir = join(root, 'edited');
    await stoppedRun(dir);
    const original = await read(dir, 'config.json');
    await writeFile(join(dir, 'config.json'), original.replace('"lr": 0.05', '"lr": 0.5'));
    const [records, summary] = [await read(dir, 'metrics.jsonl'), await read(dir, 'summary.json')];

    const refused = await cli('train', '--resume', dir);
    expect(refused.stderr).toBe(
      `overparam: --resume: ${dir}/config.json was changed after the run started (lr 0.05 → 0.5), so resuming would not continue the run its checkpoint holds; ` +
        `undo the change, or start a new run with it: overparam train --config ${dir}/config.json --set key=value --out NEW_DIR\n`,
    );
    expect(refused.code).toBe(2);
    // Nothing was touched.
    expect(await read(dir, 'metrics.jsonl')).toBe(records);
    expect(await read(dir, 'summary.json')).toBe(summary);

    await writeFile(join(dir, 'config.json'), original);
    const resumed = await cli('train', '--resume', dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ outcome: 'completed', steps: 60 });
  });

  it('records the count and checksum of metrics.jsonl in summary.json; report warns and resume refuses when they no longer match', async () => {
    const dir = join(root, 'complete');
    expect((await cli('train', '--config', await writeConfig(), '--out', dir)).code).toBe(0);
    const lines = (await read(dir, 'metrics.jsonl')).split('\n').filter(Boolean);
    const summary = JSON.parse(await read(dir, 'summary.json')) as { records: { count: number; checksum: string } };
    expect(summary.records.count).toBe(lines.length);
    // 60 steps logged every 5: 12 train records, and the run's other records besides.
    expect(lines.filter((l) => (JSON.parse(l) as { kind: string }).kind === 'train')).toHaveLength(12);

    // Records lost after the run ended (as a second writer's truncation left them).
    await writeFile(join(dir, 'metrics.jsonl'), `${lines.slice(0, 5).join('\n')}\n`);
    const reported = await cli('report', dir, '--out', join(root, 'report'));
    expect(reported.code).toBe(0);
    expect(reported.stderr).toMatch(
      new RegExp(`^overparam: warning: ${dir}/metrics.jsonl holds 5 records, but the run's summary.json says it wrote ${lines.length} \\(checksum ${summary.records.checksum}, now [0-9a-f]{8}\\): the records were lost or changed after the run ended; its figures show the records that are left$`, 'm'),
    );
    const resumed = await cli('train', '--resume', dir);
    expect(resumed.stderr).toMatch(new RegExp(`^overparam: ${dir}/metrics.jsonl holds 5 records, .*; its records cannot be trusted: train it again into a new directory \\(overparam train --config ${dir}/config.json --out NEW_DIR\\)\\n$`));
    expect(resumed.code).toBe(1);

    // Changed, not lost: the same count with other contents.
    await writeFile(join(dir, 'metrics.jsonl'), `${lines.map((l, i) => (i === 3 ? l.replace(/"step":\d+/, '"step":999') : l)).join('\n')}\n`);
    expect((await cli('report', dir, '--out', join(root, 'report'))).stderr).toContain(`holds the same number of records (${lines.length}) with other contents`);
  });

  it('merges shards into an empty directory or one holding the same sweep, and refuses one holding another sweep', async () => {
    const sweep = (name: string, lrs: number[]) => ({ name, base: { ...config, steps: 10 }, grid: { lr: lrs }, seeds: [0] });
    const foreign = join(root, 'foreign');
    await runSweep(sweep('other', [0.2]), { outDir: foreign });
    const shards = [0, 1].map((i) => join(root, `shard-${i}`));
    for (const [i, dir] of shards.entries()) await runSweep(sweep('lr', [0.1, 0.01]), { outDir: dir, shard: { index: i, count: 2 } });
    const before = await read(foreign, 'sweep.json');

    const refused = await cli('sweep', 'merge', '--out', foreign, ...shards);
    expect(refused.stderr).toBe(
      `overparam: ${foreign} holds another sweep ('other', 1 cells), so 'lr' cannot be merged there; merge into an empty or new directory, or into one that holds this same sweep (one of its shards, an earlier merge)\n`,
    );
    // A sweep error; whether it counts as usage (2) or a failure (1) is the CLI's exit-code table.
    expect(refused.code).not.toBe(0);
    expect(await read(foreign, 'sweep.json')).toBe(before);

    const merged = join(root, 'merged');
    for (let i = 0; i < 2; i++) {
      const again = await cli('sweep', 'merge', '--out', merged, ...shards);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ cells: 2, merged: 2, missing: [] });
    }
  });
});

async function writeConfig(): Promise<string> {
  const path = join(root, 'config.json');
  await writeFile(path, JSON.stringify(config));
  return path;
}
