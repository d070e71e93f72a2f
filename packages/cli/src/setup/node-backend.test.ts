import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCacheDir, findProjectDir, NodeBackendSetupError, setupNodeBackend } from './node-backend';

const scratch = mkdtempSync(join(tmpdir(), 'overparam-setup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('node backend setup', () => {
  it('installs into the workspace root from inside a workspace package, else the nearest package.json', () => {
    const root = join(scratch, 'mono');
    const pkg = join(root, 'packages', 'app');
    mkdirSync(join(pkg, 'src'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'mono', workspaces: ['packages/*'] }));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'app' }));
    expect(findProjectDir(join(pkg, 'src'))).toBe(root);
    const single = join(scratch, 'single');
    mkdirSync(join(single, 'lib'), { recursive: true });
    writeFileSync(join(single, 'package.json'), JSON.stringify({ name: 'single' }));
    expect(findProjectDir(join(single, 'lib'))).toBe(single);
  });

  it('keeps its cache where OVERPARAM_CACHE_DIR or XDG_CACHE_HOME say, else under ~/.cache', () => {
    expect(defaultCacheDir({ OVERPARAM_CACHE_DIR: '/x/op' })).toBe('/x/op');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/overparam');
    expect(defaultCacheDir({})).toMatch(/\.cache[/\\]overparam$/);
  });

  it('names the missing Python and the fix, before downloading or installing anything', async () => {
    const cacheDir = join(scratch, 'empty-cache');
    const error = await setupNodeBackend({ cacheDir, python: join(scratch, 'no-such-python'), projectDir: scratch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeBackendSetupError);
    expect((error as NodeBackendSetupError).code).toBe('BACKEND_SETUP');
    expect((error as NodeBackendSetupError).step).toBe('download');
    expect((error as Error).message).toMatch(/no-such-python' was not found; install Python 3 with pip/);
  });

});
