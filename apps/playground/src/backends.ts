import { setWasmPathPrefix } from '@overparam/backend-wasm';
import { registerBackend } from '@overparam/core';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { browserBackendPlugins } from './browser-backends';

/**
 * Registers the browser backends, the wasm binaries served as assets of the bundle (data URLs in
 * the playground's build). `?url` is Vite's asset import; the browser benchmark's esbuild bundle
 * maps it to esbuild's file loader (tools/bench/browser/run.ts).
 */
export function registerBrowserBackends(): void {
  setWasmPathPrefix({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm });
  for (const plugin of browserBackendPlugins) registerBackend(plugin);
}
