/**
 * The one place that says how tests start a real browser: Debian's `chromium` package
 * (`apt-get install -y chromium`), driven by playwright-core. Never `playwright install`: that
 * downloads a browser build from the network at test time. Test-only; Node only.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian puts it; OVERPARAM_CHROMIUM points elsewhere (another distribution, a laptop). */
export const chromiumPath = process.env.OVERPARAM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless with nothing that reaches the network on its own (updates, sync, field trials), so a
 * test that watches requests sees only the page's own. `--no-sandbox`: containers run as root,
 * where Chromium's sandbox cannot start.
 */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `Chromium is not installed at ${path}; the browser tests need a real browser. Install Debian's package (apt-get install -y chromium) or set OVERPARAM_CHROMIUM to a Chromium binary. Do not run 'playwright install'.`,
    );
    this.name = 'ChromiumMissingError';
  }
}

/** Launches headless Chromium, or throws `ChromiumMissingError` saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new ChromiumMissingError(chromiumPath);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] });
}
