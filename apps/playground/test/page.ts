import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { chromiumPath } from '../../../tools/browser/chromium.ts';
import { HANG_CEILING_MS } from '../../../test/helpers/hang-ceiling.ts';

/** The built playground's pages in headless Chromium, for the playground's tests. */

export interface Watched {
  readonly page: Page;
  readonly problems: string[];
  readonly leaving: string[];
}

/** The page at `url`, once ready, with its console errors and any request off the page collected. */
export async function open(browser: Browser, url: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const problems: string[] = [];
  const leaving: string[] = [];
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console error: ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The page and its inlined assets are all it may load: nothing over the network.
  page.on('request', (r) => void (/^(file|data|blob):/.test(r.url()) || leaving.push(r.url())));
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: HANG_CEILING_MS });
  return { page, problems, leaving };
}

/** A headless Chromium with these flags for the enclosing describe block, closed after it. */
export function browserFor(args: readonly string[]): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...args], headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
