/**
 * Setup of the browser projects: registers the browser backends the playground ships (its list and
 * its wasm wiring, served by Vite from the installed package as a bundle serves its assets) and
 * activates the one this project runs on (`provide.testBackend` in test/browser/projects.ts).
 */
import { selectBackend } from '@overparam/core';
import { inject } from 'vitest';
import { registerBrowserBackends } from '../../apps/playground/src/backends';

declare module 'vitest' {
  export interface ProvidedContext {
    testBackend: string;
  }
}

export const testBackend = inject('testBackend');

registerBrowserBackends();
await selectBackend(testBackend);
