import { cpuBackend } from '@overparam/backend-cpu';
import { setWasmPathPrefix, wasmBackend } from '@overparam/backend-wasm';
import { webglBackend } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import { registerBackend } from '@overparam/core';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The browser backends, in the order `auto` prefers them (each plugin states its own priority). */
export const browserBackendPlugins = [webgpuBackend, webglBackend, wasmBackend, cpuBackend];

/** Registers the four browser backends; the wasm binaries come with the bundle (data URLs in a build). */
export function registerBrowserBackends(): void {
  setWasmPathPrefix({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm });
  for (const plugin of browserBackendPlugins) registerBackend(plugin);
}
