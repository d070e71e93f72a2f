import { registerBackend } from '@overparam/core';
import { configFields } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { browserBackendPlugins } from './browser-backends';

describe('the browser backend list', () => {
  it('registered, gives the run form its backend choices: the config’s default, then the list in its order', () => {
    for (const plugin of browserBackendPlugins) registerBackend(plugin);
    const names = browserBackendPlugins.map((p) => p.name);
    const backend = configFields().find((f) => f.path === 'backend')!;
    expect(backend.default).toBe('auto');
    // The test process registers its own backends too (cpu, maybe node): only the browser ones are the page's.
    expect(backend.choices!.filter((c) => c === backend.default || names.includes(c))).toEqual(['auto', 'webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('holds only plugins that run in a browser, each name once', () => {
    expect(browserBackendPlugins.every((p) => p.platforms.includes('browser'))).toBe(true);
    expect(new Set(browserBackendPlugins.map((p) => p.name)).size).toBe(browserBackendPlugins.length);
  });
});
