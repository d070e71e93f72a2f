import { cpuBackend } from '@overparam/backend-cpu';
import { nodeBackend } from '@overparam/backend-node';
import { wasmBackend } from '@overparam/backend-wasm';
import { registerBackend, type BackendPlugin } from '@overparam/core';

/**
 * The backends the CLI ships, the one list of them on the Node side: `overparam backends`, the
 * `backend:*` test projects (vitest.config.ts), the tests' setup and the benchmarks derive theirs
 * from it. Node is optional: it loads wherever @tensorflow/tfjs-node is installed. The browser's
 * list is apps/playground/src/browser-backends.ts.
 */
export const nodeBackendPlugins: readonly BackendPlugin[] = [cpuBackend, wasmBackend, nodeBackend];

/**
 * Only applications pick backends (see DESIGN.md), and this is the application. Registering twice
 * is harmless, so tests may call `runCli` repeatedly.
 */
export function registerShippedBackends(): void {
  for (const plugin of nodeBackendPlugins) registerBackend(plugin);
}
