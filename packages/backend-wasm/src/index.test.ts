import { describe, expect, it } from 'vitest';
import { setWasmPathPrefix, wasmBinaryNames } from './index';

describe('setWasmPathPrefix', () => {
  it('rejects a folder prefix without its trailing slash, which would glue the file name onto it', () => {
    expect(() => setWasmPathPrefix('/assets')).toThrow(/must end in '\/'/);
  });

  it('names the three binaries tfjs-backend-wasm ships', async () => {
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    for (const name of wasmBinaryNames) expect(() => require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${name}`)).not.toThrow();
  });
});
