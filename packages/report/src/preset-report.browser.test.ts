import { getPreset } from '@overparam/experiments';
import { reproducePreset } from '@overparam/experiments/node';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { reportPreset } from './preset-report';
import type { WrittenReport } from './write-report';

/**
 * A preset's report as it is written by `reproduce`: c13 at its smoke grid, shrunk to width 32 on
 * the cpu backend so it takes seconds. Every criterion must name a figure the report draws, and
 * the verdict must be on screen at the widths a researcher's laptop has.
 */
describe('a preset report (c13 at smoke, width 32)', () => {
  const preset = getPreset('c13-du-resnet-depth');
  let dir: string;
  let written: WrittenReport;
  let criteria: Awaited<ReturnType<typeof reproducePreset>>['criteria'];
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overparam-preset-report-'));
    const result = await reproducePreset(preset, {
      scale: 'smoke',
      outDir: join(dir, 'run'),
      overrides: [
        { path: 'backend', value: 'cpu' },
        { path: 'archOptions.width', value: 32 },
      ],
      jobs: 1,
    });
    // Plus one criterion with a measured text as long as c2's (per-setting values of four depths),
    // which a non-wrapping column would push the verdict off the screen with.
    const long = Array.from({ length: 8 }, (_, i) => `β ${3 * (i + 1)}: -0.${300 + i} ± 0.0${40 + i} (3)`).join(', ');
    // And one with a token nothing breaks (no space, hyphen or slash: a dotted key of underscored names), which only wrapping anywhere keeps inside the window.
    const path = Array.from({ length: 12 }, (_, i) => `c13_du_resnet_depth_smoke_depth_${i}`).join('.');
    criteria = [
      ...result.criteria,
      { name: 'a long measurement', verdict: 'inconclusive', measured: `slope -0.308 ± 0.0945 per decade (-3.25 SE); ${long}`, figure: result.criteria[0]!.figure! },
      { name: `a path ${path}`, verdict: 'reported', measured: path, figure: result.criteria[0]!.figure! },
    ];
    written = await reportPreset(preset, { ...result, criteria }, { png: false });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('names, in every criterion, a figure the report draws', async () => {
    const report = JSON.parse(await readFile(written.json, 'utf8')) as { figures: Array<{ id: string }> };
    const drawn = new Set(report.figures.map((f) => f.id));
    expect(criteria.length).toBeGreaterThan(0);
    for (const c of criteria) {
      expect(c.figure, c.name).toBeDefined();
      expect(drawn, `${c.name} names ${c.figure}`).toContain(c.figure);
    }
    // 0-step runs draw no training-loss figure.
    expect([...drawn].some((id) => id.includes('loss'))).toBe(false);
  });

  it('shows the protocol table, paper against smoke, and marks the rows that differ', async () => {
    const html = await readFile(written.html, 'utf8');
    expect(html).toContain('Protocol: the paper against this scale');
    // The paper's width is 4,096; this run's 256 (the override is outside the preset's definition).
    expect(html).toMatch(/<tr class="differs"><th>model<\/th><td>[^<]*4096[^<]*<\/td><td>[^<]*256/);
  });

  for (const width of [1024, 1440]) {
    it(`keeps every verdict inside a ${width}-px viewport, with the runs table collapsed below the figures`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(written.html).href);
      const boxes = await page.locator('table.criteria td.verdict').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect().right));
      expect(boxes.length).toBe(criteria.length);
      for (const right of boxes) expect(right).toBeLessThanOrEqual(width);
      // The whole table, its last column included, fits too: the verdict comes first, so its own edge alone says little.
      expect(await page.locator('table.criteria').evaluate((t) => t.getBoundingClientRect().right)).toBeLessThanOrEqual(width);
      // Nothing on the page is wider than the window (no horizontal scrolling to reach a column).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      const order = await page.evaluate(() => {
        const figures = document.querySelector('.figures')!.getBoundingClientRect().top;
        const runs = document.querySelector('details.runs')!;
        return { figuresAboveRuns: figures < runs.getBoundingClientRect().top, runsOpen: (runs as HTMLDetailsElement).open };
      });
      expect(order).toEqual({ figuresAboveRuns: true, runsOpen: false });
      await page.close();
    });
  }
});
