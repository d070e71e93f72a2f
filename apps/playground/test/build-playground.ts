import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { chromiumMissingMessage } from '../../../tools/browser/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built playground's index.html. */
    playgroundHtml: string;
  }
}

/** Global setup of the playground project: Chromium must be there; the app is built from its sources, as `vite build` does. */
export default async function buildPlayground(project: TestProject): Promise<void> {
  const missing = chromiumMissingMessage();
  if (missing !== undefined) throw new Error(missing);
  const outDir = await mkdtemp(join(tmpdir(), 'overparam-playground-'));
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'warn', build: { outDir } });
  project.provide('playgroundHtml', join(outDir, 'index.html'));
}
