import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from './helpers/cli-process';
import { testBackend } from './setup-backend';

const root = await mkdtemp(join(tmpdir(), 'overparam-onednn-'));
afterAll(() => rm(root, { recursive: true, force: true }));

/** Trains one step of the Du et al. net of width `width` in a fresh process (libtensorflow reads its settings once) and returns run.json's backend settings. */
async function settingsOfRun(width: number, env: NodeJS.ProcessEnv): Promise<unknown> {
  const config = join(root, `w${width}-${env.TF_ENABLE_ONEDNN_OPTS ?? 'auto'}.json`);
  const out = `${config}.run`;
  const run = { arch: 'du-mlp', archOptions: { depth: 1, width }, data: 'sphere', dataOptions: { n: 4, d: 4, testN: 1 }, loss: 'square', batchSize: 'full', steps: 1, backend: 'node' };
  await writeFile(config, JSON.stringify(run));
  const result = await startCli(['train', '--config', config, '--out', out], env).done;
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { backendSettings?: unknown }).backendSettings;
}

// The choice is the node plugin's; the other backends fix nothing at load (test/backends.test.ts).
describe.runIf(testBackend === 'node')('oneDNN follows the workload, and the user overrides it', () => {
  const { TF_ENABLE_ONEDNN_OPTS: _, ...env } = process.env;

  it('a narrow dense net trains without oneDNN and a wide one with it; run.json says so and why', async () => {
    expect(await settingsOfRun(16, env)).toEqual({ onednn: false, onednnChosenBy: 'workload' });
    expect(await settingsOfRun(1024, env)).toEqual({ onednn: true, onednnChosenBy: 'workload' });
  });

  it('TF_ENABLE_ONEDNN_OPTS wins over the workload', async () => {
    expect(await settingsOfRun(1024, { ...env, TF_ENABLE_ONEDNN_OPTS: '0' })).toEqual({ onednn: false, onednnChosenBy: 'environment' });
  });
});
