import { isTfjsNodeInstalled } from '@overparam/backend-node';
import { backendStatuses, BackendUnavailableError, OverparamError, selectBackend, tf } from '@overparam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackend } from './setup-backend';

describe(`backend selection (suite running on ${testBackend})`, () => {
  afterAll(async () => {
    await selectBackend(testBackend);
  });

  it('rejects an unknown backend with a typed error listing the registered ones', async () => {
    const error = await selectBackend('tpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverparamError);
    expect((error as OverparamError).code).toBe('BACKEND_UNKNOWN');
    expect((error as Error).message).toMatch(/'tpu'.*auto.*cpu.*wasm.*node/s);
  });

  it('reports node as unavailable with the setup command when tfjs-node is absent (and auto falls back), or which TensorFlow it loaded', async () => {
    const installed = await isTfjsNodeInstalled();
    const statuses = await backendStatuses();
    const node = statuses.find((s) => s.name === 'node')!;
    expect(statuses.find((s) => s.name === 'cpu')!.available).toBe(true);
    expect(statuses.find((s) => s.name === 'wasm')!.available).toBe(true);
    const selection = await selectBackend('auto');
    if (installed) {
      console.info('[overparam] @tensorflow/tfjs-node is installed: checking that it loads');
      expect(node.available).toBe(true);
      // The plugin says which TensorFlow it loaded (the setup builds against 2.x).
      expect(node.detail).toMatch(/^TensorFlow 2\.\d+\.\d+ /);
      expect(selection.name).toBe('node');
    } else {
      console.info('[overparam] @tensorflow/tfjs-node is not installed: checking the typed error and the fallback');
      expect(node.available).toBe(false);
      expect(node.reason).toMatch(/npx overparam setup node-backend/);
      expect(node.detail).toBeUndefined();
      const error = await selectBackend('node').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as OverparamError).code).toBe('BACKEND_UNAVAILABLE');
      expect(selection.name).toBe('wasm');
      expect(selection.skipped.map((s) => s.name)).toEqual(['node']);
      expect(tf.getBackend()).toBe('wasm');
    }
  });
});

describe(`backend load-time settings (suite running on ${testBackend})`, () => {
  it('reports what the load fixed, which a later selection for other work keeps (the library loads once)', async () => {
    const first = await selectBackend(testBackend);
    const later = await selectBackend(testBackend, { workload: { convolutional: true, replicas: 8 } });
    expect(later.settings).toEqual(first.settings);
    if (testBackend === 'node') {
      // The suite selected node for the default workload, a solo small dense net: oneDNN off, unless
      // the user's TF_ENABLE_ONEDNN_OPTS decided (the plugin writes the variable, so it is not read back here).
      expect(first.settings.onednnChosenBy === 'environment' || first.settings.onednn === false).toBe(true);
      expect(typeof first.settings.onednn).toBe('boolean');
    } else {
      expect(first.settings).toEqual({});
    }
  });
});

describe(`backend traits (suite running on ${testBackend})`, () => {
  it("reads the active backend's declared traits, defaults filling the rest", async () => {
    const { registeredBackends, activeBackendTraits, defaultBackendTraits } = await import('@overparam/core');
    const plugin = registeredBackends().find((p) => p.name === testBackend)!;
    expect(activeBackendTraits()).toEqual({ ...defaultBackendTraits, ...plugin.traits });
  });

  it('no code outside the backend plugins tests the active backend by name', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const offenders: string[] = [];
    const root = join(import.meta.dirname, '..', 'packages');
    for (const entry of await readdir(root, { recursive: true })) {
      const path = String(entry);
      if (!path.endsWith('.ts') || path.endsWith('.test.ts') || path.startsWith('backend-') || !path.includes('src')) continue;
      const text = await readFile(join(root, path), 'utf8');
      if (/getBackend\(\)\s*[!=]==\s*'/.test(text) || /new Set\(\[\s*'(wasm|cpu|webgl|webgpu|tensorflow)'/.test(text)) offenders.push(path);
    }
    expect(offenders).toEqual([]);
  });
});
