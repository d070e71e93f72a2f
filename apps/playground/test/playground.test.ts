import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readReportInput } from '@overparam/report/node';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { chromiumArgs, chromiumArgsWithoutWebgpu } from '../../../tools/browser/chromium.ts';
import { defaultRun as pageDefaultRun, liveMetrics as pageLiveMetrics } from '../src/playground-state.ts';
import { browserFor, open } from './page.ts';
import { HANG_CEILING_MS } from '../../../test/helpers/hang-ceiling.ts';

/** Where the screenshot of a trained page goes (for notes and issues). */
const SCREENSHOT = join(tmpdir(), 'playground.png');

/**
 * Figures the default run has drawn once it measured at step 0 and logged its first losses. Without
 * WebGPU in the browser, `auto` takes WebGL and has to say why it skipped WebGPU (SwiftShader's
 * WebGPU takes seconds per step: it has its own short test at the end).
 */
const firstFigures = ['training-loss', 'cosine-density', 'gram-spectrum', 'weight-movement'];

/** Every setting of every run card, by run and field name. */
const formValues = (page: Page) =>
  page.$$eval('#runs [name]', (controls) => controls.map((c) => `${(c.closest('[data-run]') as HTMLElement).dataset['run']}:${c.getAttribute('name')}=${c instanceof HTMLInputElement && c.type === 'checkbox' ? String(c.checked) : (c as HTMLInputElement).value}`));

describe('the playground, built, in headless Chromium from disk', () => {
  const browser = browserFor(chromiumArgsWithoutWebgpu);
  const url = pathToFileURL(inject('playgroundHtml')).href;

  it('trains the default run with live figures, keeps its state in the address and exports runs the report reads', async () => {
    const { page, problems, leaving } = await open(browser(), url);
    const settings = await formValues(page);
    expect(settings).toContain('0:archOptions.depth=10');
    expect(settings).toContain('0:data=mnist');
    const address = page.url();
    expect(address).toContain('#runs=');

    await page.click('#train');
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`figure[data-figure="${id}"] svg`) !== null), firstFigures, { timeout: HANG_CEILING_MS });
    const status = await page.textContent('.run-status');
    expect(status).toMatch(/MLP-10-100 .* on mnist; backend webgl \(chosen automatically; skipped webgpu: /);

    for (const id of firstFigures) {
      const figure = page.locator(`figure[data-figure="${id}"]`);
      const box = await figure.locator('svg').boundingBox();
      expect(box?.width, id).toBeGreaterThan(100);
      expect(box?.height, id).toBeGreaterThan(100);
      // Vega draws data as marks: a figure with data has at least one line, area or point path.
      const marks = await figure.locator('g.mark-line path, g.mark-area path, g.mark-symbol path').evaluateAll((paths) => paths.filter((p) => (p.getAttribute('d') ?? '') !== '').length);
      expect(marks, id).toBeGreaterThan(0);
    }
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.click('#stop');
    await page.waitForSelector('#status:text("stopped")', { timeout: HANG_CEILING_MS });
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('aborted');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const zip = new Uint8Array(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks)));
    const dir = await mkdtemp(join(tmpdir(), 'overparam-playground-export-'));
    for (const [name, bytes] of Object.entries(unzipSync(zip))) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), bytes);
    }
    const exported = await readReportInput(dir);
    expect(exported.runs.map((r) => [r.id, r.status])).toEqual([['run-1', 'aborted']]);
    const kinds = new Set(exported.runs[0]!.records.map((r) => r.kind));
    for (const kind of ['train', 'minibatch-confusion', 'spectrum', 'weight-movement']) expect(kinds, kind).toContain(kind);

    await page.reload();
    await page.waitForSelector('body[data-ready=true]', { timeout: HANG_CEILING_MS });
    expect(page.url()).toBe(address);
    expect(await formValues(page)).toEqual(settings);

    expect(problems).toEqual([]);
    expect(leaving).toEqual([]);
    await page.close();
  });

  it('keeps the page responsive while a run measures: nothing reads the GPU back synchronously', async () => {
    // A stalled main thread (5.7 s per measurement once, while the metrics read back with
    // dataSync) came from synchronous read-backs. Their count is what this checks, not a time, so
    // a loaded machine cannot fail it: on WebGL2 a synchronous read is readPixels into an array
    // (tfjs's dataSync); an asynchronous one reads into a pixel-pack buffer (an offset) and waits
    // on a fence. The window runs from the step-10 progress report (the loop reports, then
    // measures) to the step-20 one: the measurement at step 10 and ten training steps.
    const runs = [{ ...pageDefaultRun, steps: 20, logEvery: 10, metrics: pageLiveMetrics(10) }];
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);
    await page.evaluate(() => {
      const watch = { syncReads: [] as number[], asyncReads: [] as number[], steps: [] as Array<[number, string]> };
      (globalThis as { readWatch?: typeof watch }).readWatch = watch;
      const readPixels = WebGL2RenderingContext.prototype.readPixels as (...args: unknown[]) => void;
      WebGL2RenderingContext.prototype.readPixels = function (this: WebGL2RenderingContext, ...args: unknown[]) {
        (ArrayBuffer.isView(args[6]) ? watch.syncReads : watch.asyncReads).push(performance.now());
        readPixels.apply(this, args);
      } as typeof WebGL2RenderingContext.prototype.readPixels;
      new MutationObserver(() => watch.steps.push([performance.now(), document.querySelector<HTMLElement>('.run-status')?.dataset['step'] ?? ''])).observe(document.body, {
        subtree: true,
        attributeFilter: ['data-step'],
      });
    });
    await page.click('#train');
    await page.waitForSelector('.run-status[data-outcome]', { timeout: HANG_CEILING_MS });
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('completed');
    expect(await page.getAttribute('.run-status', 'data-backend')).toBe('webgl');
    const { syncReads, asyncReads, steps } = await page.evaluate(() => (globalThis as { readWatch?: { syncReads: number[]; asyncReads: number[]; steps: Array<[number, string]> } }).readWatch!);
    const reported = (step: string) => steps.find(([, s]) => s === step)?.[0];
    const [from, to] = [reported('10'), reported('20')];
    expect(from, 'step 10 reported').toBeDefined();
    expect(to, 'step 20 reported').toBeDefined();
    const inWindow = (times: number[]) => times.filter((t) => t >= from! && t <= to!).length;
    console.log(`[playground] while measuring (step 10) and training (steps 11–20): ${inWindow(asyncReads)} asynchronous and ${inWindow(syncReads)} synchronous GPU read-backs`);
    // The watch sees reads at all (the measurement reads its results back asynchronously) ...
    expect(inWindow(asyncReads)).toBeGreaterThan(0);
    // ... and none of them blocks the main thread.
    expect(inWindow(syncReads)).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says plainly that a run diverged, and stops it', async () => {
    const runs = [{ arch: 'mlp', archOptions: { depth: 1, width: 10 }, data: 'synthetic', lr: 1e6, steps: 200, logEvery: 1, backend: 'cpu', metrics: [] }];
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);
    await page.click('#train');
    await page.waitForSelector('#status.problem', { timeout: HANG_CEILING_MS });
    expect(await page.textContent('#status')).toMatch(/^run 1 diverged at step \d+ and was stopped$/);
    const status = (await page.textContent('.run-status'))!;
    expect(status).toMatch(/DIVERGED at step \d+ \((non-finite loss|loss .* exceeds 1000 × the initial loss)/);
    // Stopped there: the 200 steps asked for were not run.
    expect(Number(/DIVERGED at step (\d+)/.exec(status)![1])).toBeLessThan(200);
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('diverged');
    expect(await page.isEnabled('#train')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the playground given a bad link', () => {
  const browser = browserFor(chromiumArgsWithoutWebgpu);
  const url = pathToFileURL(inject('playgroundHtml')).href;

  it('names the bad run config, shows the default run, and trains it', async () => {
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent('[{"arch":"nope"}]')}`);
    expect(await page.textContent('#status')).toMatch(/^run 1 of the link is not a valid run config \(arch: .*'nope'.*\); showing the default run$/);
    expect(await page.$$eval('[data-run]', (cards) => cards.length)).toBe(1);
    // Usable: Train starts the default run; a first recorded step is enough to know it trains.
    await page.click('#train');
    await page.waitForSelector('.run-status[data-step]:not([data-step=""]):not([data-step="0"])', { timeout: HANG_CEILING_MS });
    await page.click('#stop');
    await page.waitForSelector('#status:text("stopped")', { timeout: HANG_CEILING_MS });
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('the playground on WebGPU (SwiftShader), built, in headless Chromium from disk', () => {
  const browser = browserFor(chromiumArgs);
  const url = pathToFileURL(inject('playgroundHtml')).href;

  it('takes webgpu under auto and trains a run with live metrics: measuring reads nothing back synchronously', async () => {
    // SwiftShader's WebGPU is slow (minutes for the default MLP-10-100 on MNIST, most of it building
    // pipelines): a small MLP on the synthetic set, measured at the start and after two steps, with
    // the page's metrics, is what this needs. A loss logged at both steps: a curve of one point is
    // not drawn (the report draws no figure for data that cannot carry it).
    const runs = [{ ...pageDefaultRun, archOptions: { ...pageDefaultRun.archOptions, depth: 2, width: 32 }, data: 'synthetic', steps: 2, logEvery: 1, metrics: pageLiveMetrics(2) }];
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);
    await page.click('#train');
    await page.waitForSelector('.run-status[data-outcome]', { timeout: HANG_CEILING_MS });
    console.log(`[playground] webgpu: ${await page.textContent('.run-status')}`);
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('completed');
    expect(await page.getAttribute('.run-status', 'data-backend')).toBe('webgpu');
    for (const id of firstFigures) expect(await page.locator(`figure[data-figure="${id}"] svg`).count(), id).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });
});
