import { OverparamError } from '@overparam/core';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from './html';
import { fixtureBestRate, writeFixtureSweep } from './test-fixtures';
import { writeReport, type WrittenReport } from './write-report';

const hostile = '<script>alert(1)</script>';
const hostileId = '<img src=x onerror=alert(1)>';

describe('writeReport on a sweep directory', () => {
  let dir: string;
  let written: WrittenReport;
  let json: { runs: Array<Record<string, unknown>>; figures: Array<{ id: string; data: Record<string, Array<Record<string, unknown>>> }>; sweep: { name: string } };
  let html: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overparam-report-'));
    await writeFixtureSweep(join(dir, 'sweep'), { hostile: hostileId });
    // The sweep's name is the hostile one too.
    const sweepJson = JSON.parse(await readFile(join(dir, 'sweep', 'sweep.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'sweep', 'sweep.json'), JSON.stringify({ ...sweepJson, name: hostile }));
    written = await writeReport([join(dir, 'sweep')], { out: join(dir, 'out') });
    json = JSON.parse(await readFile(written.json, 'utf8')) as typeof json;
    html = await readFile(written.html, 'utf8');
  });

  it('writes index.html, a PNG per figure and report.json, without warnings', () => {
    expect(written.html).toBe(join(dir, 'out', 'index.html'));
    expect(written.runs).toBe(4);
    expect(written.pngs).toHaveLength(written.figures);
    expect(written.warnings).toEqual([]);
    expect(json.figures.map((f) => f.id)).toEqual(
      expect.arrayContaining(['training-loss', 'final-train-loss-vs-depth', 'test-accuracy-vs-depth', 'min-cosine-vs-depth', 'cosine-density', 'gram-spectrum', 'weight-movement']),
    );
  });

  it('reports the numbers that are in the run directories', async () => {
    for (const row of json.runs) {
      const summary = JSON.parse(await readFile(join(dir, 'sweep', 'runs', row.id as string, 'summary.json'), 'utf8')) as Record<string, number>;
      expect(row.finalTrainLoss).toBe(summary.finalTrainLoss);
      expect(row.testAccuracy).toBe(summary.testAccuracy);
    }
    // Test accuracy against depth: fixture accuracy is 0.8 + 0.01·depth + 0.001·seed, so the mean over seeds 0, 1 is 0.8005 + 0.01·depth.
    const aggregates = json.figures.find((f) => f.id === 'test-accuracy-vs-depth')!.data.aggregates!;
    expect(aggregates.map((a) => [a.x, a.seeds])).toEqual([
      [1, 2],
      [4, 2],
    ]);
    for (const a of aggregates) expect(a.mean as number).toBeCloseTo(0.8005 + 0.01 * (a.x as number), 12);
  });

  it('shows names from configs and records as text', () => {
    expect(html).not.toContain(hostile);
    expect(html).not.toContain(hostileId);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // One script element: the JSON data block, which browsers never execute.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script type="application/json" id="report-data">');
  });

  it('makes no reference to anything outside the page', () => {
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('refuses a directory with no run in it, saying what it expected', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'overparam-report-empty-'));
    await expect(writeReport([empty], { out: join(empty, 'out') })).rejects.toThrow(OverparamError);
    await expect(writeReport([empty], { out: join(empty, 'out') })).rejects.toThrow(/holds no run: expected a run directory/);
  });
});

describe('writeReport on several sweeps (a preset with a depth and a width sweep)', () => {
  it('gives each sweep its own figures, named after its directory, and shows the intro and reported-only criteria', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overparam-report-sections-'));
    await writeFixtureSweep(join(dir, 'depth'));
    await writeFixtureSweep(join(dir, 'width'));
    const written = await writeReport([join(dir, 'depth'), join(dir, 'width')], {
      out: join(dir, 'out'),
      png: false,
      intro: ['Claim: depth hurts.'],
      criteria: [
        { name: 'falls with depth', verdict: 'pass', measured: 'ρ = −1' },
        { name: 'sign of the mean cosine', verdict: 'reported', measured: '0.01' },
      ],
    });
    const json = JSON.parse(await readFile(written.json, 'utf8')) as { figures: Array<{ id: string }>; intro: string[] };
    const ids = json.figures.map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['depth-training-loss', 'width-training-loss', 'depth-min-cosine-vs-depth', 'width-min-cosine-vs-depth']));
    expect(ids.filter((id) => !id.startsWith('depth-') && !id.startsWith('width-'))).toEqual([]);
    expect(json.intro).toEqual(['Claim: depth hurts.']);
    const html = await readFile(written.html, 'utf8');
    expect(html).toContain('<p class="intro">Claim: depth hurts.</p>');
    expect(html).toContain('Criteria: 1 of 1 pass (1 reported, not judged)');
    expect(html).toContain('<td class="verdict reported">reported</td>');
  });
});

describe('writeReport into a folder an earlier report wrote', () => {
  it('removes the PNGs of figures the new report no longer has, keeps other files, and a PNG-less rewrite keeps the list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'overparam-report-rewrite-'));
    await writeFixtureSweep(join(dir, 'depth'));
    await writeFixtureSweep(join(dir, 'width'));
    const out = join(dir, 'out');
    const first = await writeReport([join(dir, 'depth'), join(dir, 'width')], { out });
    const widthPngs = first.pngs.map((p) => p.slice(out.length + 1)).filter((name) => name.startsWith('width-'));
    expect(widthPngs.length).toBeGreaterThan(0);
    await writeFile(join(out, 'mine.png'), 'not the report’s');
    // A live rewrite (no PNGs) in between must not forget which PNGs the report owns.
    await writeReport([join(dir, 'depth'), join(dir, 'width')], { out, png: false });
    const second = await writeReport([join(dir, 'depth')], { out });
    const files = await readdir(out);
    for (const name of widthPngs) expect(files).not.toContain(name);
    for (const path of second.pngs) expect(files).toContain(path.slice(out.length + 1));
    expect(files).toContain('mine.png');
  });
});

describe('writeReport on a sweep with a learning-rate search', () => {
  const lrGrid = [0.01, 0.03, 0.1];
  let dir: string;
  let picks: Array<{ point: Record<string, unknown>; lr: number | null; reason: string; onEdge: boolean }>;
  let cells: Array<{ id: string; overrides: Record<string, unknown> }>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overparam-report-lr-'));
    await writeFixtureSweep(join(dir, 'sweep'), { lrGrid });
    picks = JSON.parse(await readFile(join(dir, 'sweep', 'lr-search.json'), 'utf8')) as typeof picks;
    cells = (JSON.parse(await readFile(join(dir, 'sweep', 'sweep.json'), 'utf8')) as { cells: typeof cells }).cells;
  });

  it('plots the training loss of exactly the runs at each grid point’s picked rate', async () => {
    // The fixture's losses are lowest at the grid rate nearest 0.1/depth: one pick inside the grid, one on its edge.
    for (const p of picks) {
      const depth = p.point['archOptions.depth'] as number;
      const nearest = lrGrid.reduce((a, b) => (Math.abs(Math.log(b / fixtureBestRate(depth))) < Math.abs(Math.log(a / fixtureBestRate(depth))) ? b : a));
      expect(p.lr).toBe(nearest);
    }
    expect(new Set(picks.map((p) => p.onEdge))).toEqual(new Set([true, false]));

    const written = await writeReport([join(dir, 'sweep')], { out: join(dir, 'out'), png: false });
    expect(written.warnings).toEqual([]);
    const json = JSON.parse(await readFile(written.json, 'utf8')) as { figures: Array<{ id: string; data: { points: Array<{ run: string }> } }> };
    const figure = json.figures.find((f) => f.id === 'training-loss-at-picked-lr');
    const samePoint = (a: Record<string, unknown>, b: Record<string, unknown>) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    const pickedIds = cells.filter(({ overrides: { lr, ...point } }) => picks.some((p) => p.lr === lr && samePoint(p.point, point))).map((c) => c.id);
    expect(pickedIds.length).toBeLessThan(cells.length);
    expect(new Set(figure?.data.points.map((p) => p.run))).toEqual(new Set(pickedIds));
    // The figure of every rate tried is still there, with all the runs.
    expect(new Set(json.figures.find((f) => f.id === 'training-loss')?.data.points.map((p) => p.run))).toEqual(new Set(cells.map((c) => c.id)));
  });

  it('tables each pick: grid point, picked rate, reason, whether it is on the grid edge', async () => {
    const written = await writeReport([join(dir, 'sweep')], { out: join(dir, 'out'), png: false });
    const html = await readFile(written.html, 'utf8');
    const rows = [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><td>([^<]*)<\/td><td>(yes|no)<\/td><\/tr>/g)].map((m) => m.slice(1));
    expect(rows).toEqual(picks.map((p) => [`depth=${p.point['archOptions.depth'] as number}`, String(p.lr), escapeHtml(p.reason), p.onEdge ? 'yes' : 'no']));
  });

  it('gives each of several searched sweeps its own picked-rate figure and table of picks', async () => {
    await writeFixtureSweep(join(dir, 'again'), { lrGrid });
    const written = await writeReport([join(dir, 'sweep'), join(dir, 'again')], { out: join(dir, 'sections'), png: false });
    const json = JSON.parse(await readFile(written.json, 'utf8')) as { figures: Array<{ id: string }>; lrSearches: Array<{ sweep: string; picks: Array<{ lr: number | null }> }> };
    expect(json.figures.map((f) => f.id).filter((id) => id.endsWith('training-loss-at-picked-lr'))).toEqual(['sweep-training-loss-at-picked-lr', 'again-training-loss-at-picked-lr']);
    expect(json.lrSearches.map((s) => [s.sweep, s.picks.map((p) => p.lr)])).toEqual([
      ['sweep', picks.map((p) => p.lr)],
      ['again', picks.map((p) => p.lr)],
    ]);
  });

  it('refuses a malformed lr-search.json with a typed error naming the file and the fault', async () => {
    const broken = join(dir, 'broken');
    await writeFixtureSweep(broken, { lrGrid });
    const path = join(broken, 'lr-search.json');
    await writeFile(path, JSON.stringify(picks.map((p, i) => (i === 1 ? { ...p, lr: 'fast' } : p))));
    const attempt = writeReport([broken], { out: join(broken, 'out'), png: false });
    await expect(attempt).rejects.toThrow(OverparamError);
    await expect(attempt).rejects.toThrow(`${path}: entry 1 has lr "fast"`);
    await writeFile(path, '[{"point": {');
    await expect(writeReport([broken], { out: join(broken, 'out'), png: false })).rejects.toThrow(`${path} is not valid JSON`);
  });
});
