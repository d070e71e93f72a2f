import type { BackendPlugin } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { browserBackendChoices, browserBackendPlugins } from './browser-backends';

describe('the browser backend list', () => {
  it('gives the playground its backend choices: auto, then every plugin on it, one added included', () => {
    expect(browserBackendChoices()).toEqual(['auto', 'webgpu', 'webgl', 'wasm', 'cpu']);
    const standIn: BackendPlugin = { name: 'stand-in', tfName: 'stand-in', priority: -1, platforms: ['browser'], packageName: '@overparam/backend-stand-in', load: () => Promise.resolve() };
    // The list is read-only to its users; the test appends to it the way a new plugin's line would.
    const list = browserBackendPlugins as BackendPlugin[];
    list.push(standIn);
    try {
      expect(browserBackendChoices()).toEqual(['auto', 'webgpu', 'webgl', 'wasm', 'cpu', 'stand-in']);
    } finally {
      list.pop();
    }
  });

  it('holds only plugins that run in a browser, each name once', () => {
    expect(browserBackendPlugins.every((p) => p.platforms.includes('browser'))).toBe(true);
    expect(new Set(browserBackendPlugins.map((p) => p.name)).size).toBe(browserBackendPlugins.length);
  });
});
