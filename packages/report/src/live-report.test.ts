import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveReport } from './live-report';
import { writeFixtureSweep } from './test-fixtures';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('liveReport', () => {
  it('rewrites at most once per interval while runs record, then once more without the reload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overparam-live-'));
    await writeFixtureSweep(join(dir, 'sweep'));
    const out = join(dir, 'out');
    const live = liveReport([join(dir, 'sweep')], { out, everyMs: 60_000 });
    // A burst of records: the first rewrites at once, the rest wait for the (long) interval.
    for (let i = 0; i < 20; i++) live.notify();
    await sleep(50);
    for (let i = 0; i < 5; i++) live.notify();
    while (live.writes === 0) await sleep(20);
    expect(live.writes).toBe(1);
    const during = await readFile(join(out, 'index.html'), 'utf8');
    expect(during).toContain('<meta http-equiv="refresh" content="60">');

    const final = await live.close();
    expect(live.writes).toBe(2);
    const after = await readFile(final.html, 'utf8');
    expect(after).not.toContain('http-equiv="refresh"');
    expect(final.pngs.length).toBe(final.figures);
  });
});
