import { currentPlatform, tf, type BackendPlugin } from '@overparam/core';

/** The binaries tfjs-backend-wasm may fetch; which one depends on the browser's SIMD and thread support. */
export const wasmBinaryNames = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const;
export type WasmBinaryName = (typeof wasmBinaryNames)[number];
/** A URL for each binary, as a bundler's asset imports give them (hashed names, any folder). */
export type WasmBinaryUrls = Readonly<Record<WasmBinaryName, string>>;

let browserLocation: string | WasmBinaryUrls | undefined;

/**
 * Where a browser fetches the `.wasm` binaries: a URL prefix ending in `/` under which all of
 * `wasmBinaryNames` are served, or one URL per binary (what `?url` imports in Vite or the `file`
 * loader in esbuild return). Call before the backend loads. Unset, the binaries are fetched from
 * the page's own folder, next to the bundle, never from a CDN. In Node the binaries are always
 * read from the installed `@tensorflow/tfjs-backend-wasm` package and this setting is ignored.
 */
export function setWasmPathPrefix(prefixOrUrls: string | WasmBinaryUrls): void {
  if (typeof prefixOrUrls === 'string' && !prefixOrUrls.endsWith('/')) {
    throw new TypeError(`setWasmPathPrefix('${prefixOrUrls}'): a prefix must end in '/' (the binaries' names are appended to it)`);
  }
  browserLocation = prefixOrUrls;
}

/**
 * The installed package's folder. Node's built-ins are reached through `process`, not imported, so
 * that a browser bundle of this package holds no `node:*` import for the bundler to trip on.
 */
function installedBinaryDirectory(): string {
  const proc = (globalThis as { process: NodeJS.Process }).process;
  const { createRequire } = proc.getBuiltinModule('node:module');
  const { dirname } = proc.getBuiltinModule('node:path');
  return `${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`;
}

/** The page's folder: where a bundler's static assets land unless configured otherwise. */
function pageDirectory(): string {
  const base = (globalThis as { document?: { baseURI?: string } }).document?.baseURI ?? (globalThis as { location?: { href: string } }).location?.href;
  return base === undefined ? './' : new URL('./', base).href;
}

function describeLocation(location: string | WasmBinaryUrls): string {
  return typeof location === 'string' ? `${location}{${wasmBinaryNames.join(',')}}` : Object.values(location).join(', ');
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
  // MaxPoolGrad drops the gradient of windows whose maximum is negative (test/max-pool.test.ts);
  // GatherV2 takes ~35 ms for a 2,565 × 128 full batch that a JS copy and upload make in ~3 ms;
  // BatchMatMul runs outside XNNPACK: replica groups of 10 step at 0.2× (MLP-3-100) and 0.08–0.8×
  // (deep linear, full batch) the solo replica-steps/s, so a group's members train in turn.
  traits: { matMulGradient: 'explicit-transpose', convGradient: 'forward-rewrite', maxPoolGradient: 'views', batchGather: 'host', replicaSteps: 'sequential' },
  async load() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const location = currentPlatform() === 'node' ? installedBinaryDirectory() : (browserLocation ?? pageDirectory());
    // tfjs accepts the paths only before its first initialization attempt.
    if (tf.findBackend('wasm') === null) wasm.setWasmPaths(location as string | Record<string, string>);
    if (!(await tf.setBackend('wasm'))) {
      throw new Error(
        `tfjs could not initialize the wasm backend from ${describeLocation(location)}; serve the .wasm files of ` +
          '@tensorflow/tfjs-backend-wasm/dist there, or call setWasmPathPrefix() with their URLs (see the console for the loader error)',
      );
    }
    await tf.ready();
  },
};
