import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { writeFixtureSweep } from './test-fixtures';
import { writeReport, type WrittenReport } from './write-report';

/**
 * The report as a researcher opens it: the HTML from disk in headless Chromium. Fails (does not
 * skip) where Chromium is missing, with the install command in the message.
 */
const hostile = '<script>alert(1)</script>';
const hostileId = '<img src=x onerror=alert(1)>';

describe('the HTML report in Chromium', () => {
  let browser: Browser;
  let written: WrittenReport;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'overparam-report-browser-'));
    await writeFixtureSweep(join(dir, 'sweep'), { hostile: hostileId });
    const sweepJson = JSON.parse(await readFile(join(dir, 'sweep', 'sweep.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'sweep', 'sweep.json'), JSON.stringify({ ...sweepJson, name: hostile }));
    written = await writeReport([join(dir, 'sweep')], { out: join(dir, 'out'), png: false, criteria: [{ name: hostile, verdict: 'fail', measured: 0.5, expected: '< 0.1' }] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console error, no request leaving the page, every figure visible and hostile names as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const url = pathToFileURL(written.html).href;
    await page.goto(url, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
    // The page itself is the only request.
    expect(requests).toEqual([url]);

    const sizes = await page.$$eval('figure svg', (svgs) => svgs.map((s) => s.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(sizes).toHaveLength(written.figures);
    for (const [w, h] of sizes) {
      expect(w).toBeGreaterThan(100);
      expect(h).toBeGreaterThan(100);
    }

    const text = await page.locator('body').innerText();
    expect(text).toContain(hostile);
    expect(text).toContain(hostileId);
    expect(text).toContain('Criteria: 0 of 1 pass');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);

    const shot = join(dir, 'screenshot.png');
    const image = PNG.sync.read(await page.screenshot({ path: shot, fullPage: true }));
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add(image.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(50);
    console.info(`[report] screenshot of the HTML report: ${shot}`);
    await page.close();
  });
});
