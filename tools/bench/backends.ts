/**
 * The backends the benchmark knows. A benchmark is an application, so it registers the plugins
 * itself (as the CLI and the tests do) and activates each one by name in turn.
 */
import { cpuBackend } from '@overparam/backend-cpu';
import { nodeBackend } from '@overparam/backend-node';
import { wasmBackend } from '@overparam/backend-wasm';
import { registerBackend, selectBackend } from '@overparam/core';

export const benchBackends = ['cpu', 'wasm', 'node'] as const;

export function registerBenchBackends(): void {
  for (const plugin of [cpuBackend, wasmBackend, nodeBackend]) registerBackend(plugin);
}

/** Activates `name`; resolves to `undefined` when it is active, or to why it could not load. */
export async function activate(name: string): Promise<string | undefined> {
  try {
    await selectBackend(name);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
