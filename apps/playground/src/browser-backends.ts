import { cpuBackend } from '@overparam/backend-cpu';
import { wasmBackend } from '@overparam/backend-wasm';
import { webglBackend } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import type { BackendPlugin } from '@overparam/core';

/**
 * The browser backends, the one list of them, in the order `auto` prefers them (each plugin states
 * its own priority): the playground registers them (its backend choices are then the run
 * config's own: 'auto', then these), and the `browser:*` test projects and the browser benchmark
 * derive theirs from it. Kept apart from backends.ts, which wires the wasm binaries as
 * bundler assets, so that Node (vitest.config.ts) can read the names too.
 */
export const browserBackendPlugins: readonly BackendPlugin[] = [webgpuBackend, webglBackend, wasmBackend, cpuBackend];
