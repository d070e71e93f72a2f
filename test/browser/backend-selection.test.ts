import { webglCapabilities } from '@overparam/backend-webgl';
import { activeBackendTraits, backendStatuses, registeredBackends, selectBackend, tf } from '@overparam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackend } from './setup-browser-backend';

describe(`browser backend selection (suite running on ${testBackend})`, () => {
  afterAll(async () => {
    await selectBackend(testBackend);
  });

  it('ranks the browser backends webgpu > webgl > wasm > cpu', () => {
    expect(registeredBackends().map((p) => [p.name, p.priority])).toEqual([
      ['webgpu', 250],
      ['webgl', 200],
      ['wasm', 100],
      ['cpu', 0],
    ]);
  });

  it('loads all four here (SwiftShader for the GPU ones) and auto picks webgpu', async () => {
    const statuses = await backendStatuses();
    expect(statuses.map((s) => [s.name, s.available, s.reason])).toEqual([
      ['webgpu', true, undefined],
      ['webgl', true, undefined],
      ['wasm', true, undefined],
      ['cpu', true, undefined],
    ]);
    const selection = await selectBackend('auto');
    expect(selection).toEqual({ name: 'webgpu', tfName: 'webgpu', skipped: [], settings: {} });
  });

  it('falls back to webgl, saying why, when the browser has no WebGPU', async () => {
    // Hide WebGPU in this test's frame only (each test file runs in its own iframe).
    Object.defineProperty(navigator, 'gpu', { value: undefined, configurable: true });
    try {
      const selection = await selectBackend('auto');
      expect(selection.name).toBe('webgl');
      expect(selection.skipped).toHaveLength(1);
      expect(selection.skipped[0]!.name).toBe('webgpu');
      expect(selection.skipped[0]!.reason).toMatch(/no WebGPU \(navigator\.gpu is undefined/);
    } finally {
      delete (navigator as { gpu?: unknown }).gpu;
    }
  });

  it(`computes in the precision it declares as floatBits (${testBackend})`, async () => {
    await selectBackend(testBackend);
    // 1 + 2⁻¹² is exact in float32 and rounds to 1 in float16 (10 mantissa bits). 1,024 elements so
    // that WebGL runs the add on the GPU rather than forwarding a small op to its CPU kernels.
    const sum = tf.add(tf.ones([1024]), tf.scalar(2 ** -12));
    const values = await sum.data();
    sum.dispose();
    const measuredBits = values[0] === 1 ? 16 : 32;
    const declared = activeBackendTraits().floatBits;
    if (testBackend === 'webgl') {
      const caps = webglCapabilities()!;
      console.info(`[overparam] webgl: WebGL ${caps.webglVersion}, ${caps.floatBits}-bit textures (WEBGL_RENDER_FLOAT32_CAPABLE=${tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')})`);
      expect(caps.floatBits).toBe(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 32 : 16);
    }
    expect(declared).toBe(measuredBits);
  });
});
