import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * The cross-backend suite in headless Chromium: one vitest browser project per browser backend
 * (`browser:webgpu`, `browser:webgl`, `browser:wasm`, `browser:cpu`), each in its own browser.
 *
 * The browser is the system's Chromium (Debian's `chromium` package; `.ci/run` installs it), driven
 * by Playwright's library: nothing is ever downloaded (`playwright install` is never needed).
 * OVERPARAM_CHROMIUM names another Chromium binary.
 */
export const browserBackends = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export const chromiumPath = process.env.OVERPARAM_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  // No traffic of the browser's own: a test run must not reach the network.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGPU on the SwiftShader software adapter: without these Chromium offers no adapter on a
  // machine without a GPU, and tfjs-webgpu crashes on the null adapter.
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
];

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Files of test/ that run unchanged in a page. The others read files, test Node-only backends, or
 * train for thousands of steps: WebGPU on SwiftShader waits ~0.1 s for every readback, so the
 * training and MNIST checks run here in short versions (test/browser/).
 */
const sharedSuite = ['test/smoke.test.ts', 'test/mlp-gradients.test.ts', 'test/conv2d.test.ts'];

// Our source condition first, then Vite's default client conditions.
const conditions = ['@overparam/source', 'module', 'browser', 'development|production'];

// Not `extends: true`: the root's Node setup file and fork pool do not apply in a page.
export const browserProjects: TestProjectInlineConfiguration[] = browserBackends.map((backend) => ({
  // The shared files import `testBackend` from './setup-backend' (the Node setup); in a page it
  // is the browser setup, which registers the browser plugins and activates this project's backend.
  resolve: { conditions, alias: [{ find: /^\.\/setup-backend$/, replacement: here('./setup-browser-backend.ts') }] },
  test: {
    name: `browser:${backend}`,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    include: [...sharedSuite, 'test/browser/**/*.test.ts'],
    setupFiles: [here('./setup-browser-backend.ts')],
    globalSetup: [here('./require-chromium.ts')],
    provide: { testBackend: backend },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
      instances: [{ browser: 'chromium' }],
    },
  },
}));

/** Fails the run, rather than skipping, when the browser is missing. */
export function chromiumMissingMessage(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return (
    `[overparam] Chromium is not installed at ${chromiumPath}: the browser test projects (browser:*) need it. ` +
    'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or point OVERPARAM_CHROMIUM at a Chromium binary. ' +
    'Never `playwright install`: the harness drives the system browser.'
  );
}
