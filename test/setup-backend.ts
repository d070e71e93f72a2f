/**
 * Vitest setup for every project: registers the backends this repository ships and activates
 * the one named by OVERPARAM_TEST_BACKEND (set per vitest project in vitest.config.ts).
 */
import { cpuBackend } from '@overparam/backend-cpu';
import { nodeBackend } from '@overparam/backend-node';
import { wasmBackend } from '@overparam/backend-wasm';
import { registerBackend, selectBackend } from '@overparam/core';

export const testBackend = process.env.OVERPARAM_TEST_BACKEND ?? 'cpu';

for (const plugin of [cpuBackend, wasmBackend, nodeBackend]) registerBackend(plugin);
await selectBackend(testBackend);
