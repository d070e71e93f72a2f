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

/** Where the screenshot of a trained page goes (for notes and issues). */
const SCREENSHOT = join(tmpdir(), 'playground.png');

/**
 * Figures the default run has drawn once it measured at step 0 and logged its first losses. Without
 * WebGPU in the browser, `auto` takes WebGL and has to say why it skipped WebGPU (SwiftShader's
 * WebGPU takes seconds per step: it has its own short test at the end).
 */
const firstFigures = ['training-loss', 'cosine-density', 'gram-spectrum', 'weight-movement'];

/** Software WebGL on a busy machine: generous, as nothing here is a timing. */
const TRAINING_TEST_MS = 300_000;

/**
 * The longest the page's main thread may go without a turn while a run measures. Measured on a
 * loaded 2-core machine (load 7–10): 0.4–0.64 s now (the longest piece is one minibatch pair's
 * two backward passes being issued to WebGL), against 5.7 s while the metrics read back with
 * dataSync; 2 s leaves 3× room for a busier machine and still catches that stall.
 */
const MAX_MAIN_THREAD_GAP_MS = 2000;

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
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`figure[data-figure="${id}"] svg`) !== null), firstFigures, { timeout: 150_000 });
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
    await page.waitForSelector('#status:text("stopped")', { timeout: 60_000 });
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
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    expect(page.url()).toBe(address);
    expect(await formValues(page)).toEqual(settings);

    expect(problems).toEqual([]);
    expect(leaving).toEqual([]);
    await page.close();
  }, TRAINING_TEST_MS);

  it('keeps the page responsive while a run measures: the main thread never stalls for long', async () => {
    // The page's default network and live metrics, logged and measured every 10 steps. The window
    // runs from the step-10 progress report (the loop reports, then measures) to the step-20 one:
    // the measurement at step 10 and ten training steps, everything compiled by then. Before it,
    // WebGL compiles its shaders on the main thread (seconds on SwiftShader); after it, the end of
    // the run compiles more for the test-set evaluation. Neither is a measurement.
    const runs = [{ ...pageDefaultRun, steps: 20, logEvery: 10, metrics: pageLiveMetrics(10) }];
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);
    // A timer that fires every 10 ms records when it got to run: a gap between two of its runs is
    // time the main thread spent on something else without a turn for timers, input or painting.
    await page.evaluate(() => {
      const watch = { ticks: [] as number[], steps: [] as Array<[number, string]> };
      (globalThis as { mainThreadWatch?: typeof watch }).mainThreadWatch = watch;
      setInterval(() => watch.ticks.push(performance.now()), 10);
      new MutationObserver(() => watch.steps.push([performance.now(), document.querySelector<HTMLElement>('.run-status')?.dataset['step'] ?? ''])).observe(document.body, {
        subtree: true,
        attributeFilter: ['data-step'],
      });
    });
    await page.click('#train');
    await page.waitForSelector('.run-status[data-outcome]', { timeout: TRAINING_TEST_MS });
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('completed');
    expect(await page.getAttribute('.run-status', 'data-backend')).toBe('webgl');
    const { ticks, steps } = await page.evaluate(() => (globalThis as { mainThreadWatch?: { ticks: number[]; steps: Array<[number, string]> } }).mainThreadWatch!);
    const reported = (step: string) => steps.find(([, s]) => s === step)?.[0];
    const [from, to] = [reported('10'), reported('20')];
    expect(from, 'step 10 reported').toBeDefined();
    expect(to, 'step 20 reported').toBeDefined();
    // The last tick before the window and the first after it bound its gaps.
    const inWindow = ticks.filter((t, i) => ticks[i + 1]! >= from! && (ticks[i - 1] ?? -Infinity) <= to!);
    const gaps = inWindow.slice(1).map((t, i) => t - inWindow[i]!);
    const longest = Math.max(...gaps);
    console.log(`[playground] main thread over ${((to! - from!) / 1000).toFixed(1)} s of measuring (step 10) and training (steps 11–20): ${inWindow.length} timer turns, longest gap ${longest.toFixed(0)} ms`);
    expect(longest).toBeLessThan(MAX_MAIN_THREAD_GAP_MS);
    expect(problems).toEqual([]);
    await page.close();
  }, TRAINING_TEST_MS);

  it('says plainly that a run diverged, and stops it', async () => {
    const runs = [{ arch: 'mlp', archOptions: { depth: 1, width: 10 }, data: 'synthetic', lr: 1e6, steps: 200, logEvery: 1, backend: 'cpu', metrics: [] }];
    const { page, problems } = await open(browser(), `${url}#runs=${encodeURIComponent(JSON.stringify(runs))}`);
    await page.click('#train');
    await page.waitForSelector('#status.problem', { timeout: 60_000 });
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
    await page.waitForSelector('.run-status[data-step]:not([data-step=""]):not([data-step="0"])', { timeout: 60_000 });
    await page.click('#stop');
    await page.waitForSelector('#status:text("stopped")', { timeout: 60_000 });
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
    await page.waitForSelector('.run-status[data-outcome]', { timeout: TRAINING_TEST_MS });
    console.log(`[playground] webgpu: ${await page.textContent('.run-status')}`);
    expect(await page.getAttribute('.run-status', 'data-outcome')).toBe('completed');
    expect(await page.getAttribute('.run-status', 'data-backend')).toBe('webgpu');
    for (const id of firstFigures) expect(await page.locator(`figure[data-figure="${id}"] svg`).count(), id).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, TRAINING_TEST_MS);
});
