/// <reference types="vite/client" />
/**
 * Setup of the browser projects: registers the four browser backends and activates the one this
 * project runs on (`provide.testBackend` in test/browser/projects.ts).
 */
import { cpuBackend } from '@overparam/backend-cpu';
import { setWasmPathPrefix, wasmBackend } from '@overparam/backend-wasm';
import { webglBackend } from '@overparam/backend-webgl';
import { webgpuBackend } from '@overparam/backend-webgpu';
import { registerBackend, selectBackend } from '@overparam/core';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    testBackend: string;
  }
}

export const testBackend = inject('testBackend');

// The binaries are served by Vite from the installed package, as a bundle would serve its assets.
setWasmPathPrefix({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm });
for (const plugin of [webgpuBackend, webglBackend, wasmBackend, cpuBackend]) registerBackend(plugin);
await selectBackend(testBackend);
