import { cpuBackend } from '@overparam/backend-cpu';
import { nodeBackend } from '@overparam/backend-node';
import { wasmBackend } from '@overparam/backend-wasm';
import { registerBackend } from '@overparam/core';

/**
 * Only applications pick backends (see DESIGN.md), and this is the application: it ships cpu and
 * wasm, and node whenever the optional @tensorflow/tfjs-node is installed. Registering twice is
 * harmless, so tests may call `runCli` repeatedly.
 */
export function registerShippedBackends(): void {
  for (const plugin of [cpuBackend, wasmBackend, nodeBackend]) registerBackend(plugin);
}
