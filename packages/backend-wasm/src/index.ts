import { currentPlatform, tf, type BackendPlugin } from '@overparam/core';

let wasmPathPrefix: string | undefined;

/**
 * Where the browser should fetch the `.wasm` binaries from (a URL prefix ending in `/`).
 * Call before the backend loads. In Node the binaries are always read from the installed
 * `@tensorflow/tfjs-backend-wasm` package, never fetched.
 */
export function setWasmPathPrefix(prefix: string): void {
  wasmPathPrefix = prefix;
}

async function installedBinaryDirectory(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname } = await import('node:path');
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`;
}

/**
 * WebAssembly with SIMD: the fastest backend on a CPU-only machine. Single-threaded in Node,
 * whose workers cannot start from the blob URLs the threaded build uses.
 */
export const wasmBackend: BackendPlugin = {
  name: 'wasm',
  tfName: 'wasm',
  priority: 100,
  platforms: ['node', 'browser'],
  packageName: '@overparam/backend-wasm',
  // matMul with a transpose flag bypasses XNNPACK (8–14× slower); there is no Conv2DBackpropFilter;
  // MaxPoolGrad drops the gradient of windows whose maximum is negative (test/max-pool.test.ts).
  traits: { matMulGradient: 'explicit-transpose', convGradient: 'forward-rewrite', maxPoolGradient: 'views' },
  async load() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const prefix = currentPlatform() === 'node' ? await installedBinaryDirectory() : wasmPathPrefix;
    if (prefix !== undefined && tf.findBackend('wasm') === null) wasm.setWasmPaths(prefix);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs could not initialize the wasm backend (see the console for the loader error)');
    await tf.ready();
  },
};
