import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { browserBackendPlugins } from '../../apps/playground/src/browser-backends.ts';
import { chromiumArgs, chromiumPath } from '../../tools/browser/chromium.ts';
import { HANG_CEILING_MS } from '../helpers/hang-ceiling.ts';

/**
 * The cross-backend suite in headless Chromium: one vitest browser project per browser backend the
 * playground ships (`browser:webgpu`, `browser:webgl`, `browser:wasm`, `browser:cpu`), each in its
 * own browser.
 *
 * The browser, its path and flags: tools/browser/chromium.ts (shared with the browser benchmark).
 */
export const browserBackends: readonly string[] = browserBackendPlugins.map((plugin) => plugin.name);

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Files of test/ that run unchanged in a page (the training suite shortens its runs there itself).
 * The others read files, test Node-only backends, or train for thousands of steps: WebGPU on
 * SwiftShader waits ~0.1 s for every readback, so the MNIST check runs here in a short version
 * (test/browser/).
 */
const sharedSuite = ['test/smoke.test.ts', 'test/mlp-gradients.test.ts', 'test/conv2d.test.ts', 'test/training.test.ts'];

// Our source condition first, then Vite's default client conditions.
const conditions = ['@overparam/source', 'module', 'browser', 'development|production'];

// Not `extends: true`: the root's Node setup file and fork pool do not apply in a page.
export const browserProjects: TestProjectInlineConfiguration[] = browserBackends.map((backend) => ({
  // The shared files import `testBackend` from './setup-backend' (the Node setup); in a page it
  // is the browser setup, which registers the browser plugins and activates this project's backend.
  resolve: { conditions, alias: [{ find: /^\.\/setup-backend$/, replacement: here('./setup-browser-backend.ts') }] },
  test: {
    name: `browser:${backend}`,
    testTimeout: HANG_CEILING_MS,
    hookTimeout: HANG_CEILING_MS,
    // test/browser/<backend>/ holds what only that backend can check (webgl's float16 path).
    include: [...sharedSuite, 'test/browser/*.test.ts', `test/browser/${backend}/**/*.test.ts`],
    setupFiles: [here('./setup-browser-backend.ts')],
    globalSetup: [here('./require-chromium.ts')],
    provide: { testBackend: backend },
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({ launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs] } }),
      instances: [{ browser: 'chromium' }],
    },
  },
}));
