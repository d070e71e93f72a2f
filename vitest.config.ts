import { isTfjsNodeInstalled, nodeBackend } from '@overparam/backend-node';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { nodeBackendPlugins } from './packages/cli/src/register-backends.ts';
import { browserProjects } from './test/browser/projects.ts';
import { HANG_CEILING_MS } from './test/helpers/hang-ceiling.ts';

/**
 * One suite, many backends: `test/` runs once per backend the CLI ships (its list,
 * packages/cli/src/register-backends.ts) as its own vitest project (`backend:cpu`, `backend:wasm`,
 * `backend:node`), selected through OVERPARAM_TEST_BACKEND. Package unit tests
 * (`packages/*\/src/**\/*.test.ts`) run once, on the cpu backend.
 */
const nodeInstalled = await isTfjsNodeInstalled();
// The optional native backend gets its project only where its package is installed.
const backends = nodeBackendPlugins.map((plugin) => plugin.name).filter((name) => name !== nodeBackend.name || nodeInstalled);
// Vitest evaluates this file more than once per run (once per project that extends it); say it once.
if (!nodeInstalled && process.env.OVERPARAM_NODE_SKIP_TOLD === undefined) {
  process.env.OVERPARAM_NODE_SKIP_TOLD = '1';
  console.warn('[overparam] skipped the backend:node test project: @tensorflow/tfjs-node is not installed (optional; `npx overparam setup node-backend` installs it)');
}

// Our source condition first, then Vite's default server conditions.
const conditions = ['@overparam/source', 'module', 'node', 'development|production'];

const backendProjects: TestProjectInlineConfiguration[] = backends.map((backend) => ({
  extends: true,
  test: {
    name: `backend:${backend}`,
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    env: { OVERPARAM_TEST_BACKEND: backend },
  },
}));

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // A limit that only catches hangs (see the file): no test fails for being slow on a loaded machine.
    testTimeout: HANG_CEILING_MS,
    hookTimeout: HANG_CEILING_MS,
    pool: 'forks',
    setupFiles: ['test/setup-backend.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tools/**/*.test.ts'], env: { OVERPARAM_TEST_BACKEND: 'cpu' } },
      },
      ...backendProjects,
      ...browserProjects,
      {
        // The built playground opened from disk in headless Chromium; its global setup builds it.
        test: {
          name: 'playground',
          include: ['apps/playground/test/**/*.test.ts'],
          globalSetup: ['apps/playground/test/build-playground.ts'],
          testTimeout: HANG_CEILING_MS,
          hookTimeout: HANG_CEILING_MS,
          pool: 'forks',
        },
      },
    ],
  },
});
