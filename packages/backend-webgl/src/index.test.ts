import { BackendUnavailableError, registerBackend, selectBackend } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { webglBackend, webglCapabilities } from './index';

// The plugin's browser behaviour runs in the browser:* projects (test/browser/); here, Node's side.
describe('webgl plugin outside a browser', () => {
  it('is refused on Node with a typed error naming where it runs, before touching tfjs', async () => {
    registerBackend(webglBackend);
    const error = await selectBackend('webgl').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toMatch(/does not run on node; it runs on browser/);
    expect(webglCapabilities()).toBeUndefined();
    expect(webglBackend.traits).toEqual({ floatBits: 32 });
  });
});
