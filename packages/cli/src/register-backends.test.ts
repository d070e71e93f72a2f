import { BackendUnavailableError, type BackendPlugin } from '@overparam/core';
import { describe, expect, test } from 'vitest';
import { nodeBackendPlugins } from './register-backends';
import { cli } from './test-cli';

describe('the Node backend list', () => {
  test('is what `overparam backends` lists: a plugin added to it shows up, with why it does not load', async () => {
    const standIn: BackendPlugin = {
      name: 'stand-in',
      tfName: 'stand-in',
      priority: -1,
      platforms: ['node'],
      packageName: '@overparam/backend-stand-in',
      load: () => Promise.reject(new BackendUnavailableError('stand-in', 'a test plugin that never loads')),
    };
    // The list is read-only to its users; the test appends to it the way a new plugin's line would.
    const list = nodeBackendPlugins as BackendPlugin[];
    list.push(standIn);
    try {
      const { code, stdout } = await cli('backends', '--json');
      expect(code).toBe(0);
      const statuses = JSON.parse(stdout) as Array<{ name: string; available: boolean; reason?: string }>;
      expect(statuses.map((s) => s.name).sort()).toEqual(list.map((p) => p.name).sort());
      expect(statuses.find((s) => s.name === 'stand-in')).toMatchObject({ available: false, reason: expect.stringContaining('a test plugin that never loads') });
    } finally {
      list.pop();
    }
  });
});
