import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

  /** Runs a sweep of du-mlp cells of these widths (2 seeds each, in that order) with `--jobs 2` and returns each run's width and backend settings. */
  async function sweepSettings(name: string, widths: readonly number[], env: NodeJS.ProcessEnv): Promise<Array<{ width: number; settings: Record<string, unknown> }>> {
    const file = join(root, `${name}.json`);
    const out = join(root, name);
    const base = { arch: 'du-mlp', archOptions: { depth: 1 }, data: 'sphere', dataOptions: { n: 4, d: 4, testN: 1 }, loss: 'square', batchSize: 'full', steps: 1, backend: 'node' };
    await writeFile(file, JSON.stringify({ name, base, grid: { 'archOptions.width': widths }, seeds: [0, 1] }));
    const result = await startCli(['sweep', file, '--out', out, '--jobs', '2'], env).done;
    expect(result.code, result.stderr).toBe(0);
    const runs = join(out, 'runs');
    return Promise.all(
      (await readdir(runs)).map(async (id) => {
        const config = JSON.parse(await readFile(join(runs, id, 'config.json'), 'utf8')) as { archOptions: { width: number } };
        const info = JSON.parse(await readFile(join(runs, id, 'run.json'), 'utf8')) as { backendSettings: Record<string, unknown> };
        return { width: config.archOptions.width, settings: info.backendSettings };
      }),
    );
  }

  it('a sweep worker runs each cell with the oneDNN choice of its own workload, not its first cell’s, and TensorFlow’s default threads (a share of the cores would make its numbers depend on --jobs)', async () => {
    // Both workers start on the narrow cells (oneDNN off); the wide cells then need oneDNN on, so each gets a fresh worker.
    const runs = await sweepSettings('mixed', [16, 1024], env);
    expect(runs).toHaveLength(4);
    for (const { width, settings } of runs) {
      expect(settings, `width ${width}`).toEqual({ onednn: width >= 1000, onednnChosenBy: 'workload' });
    }
  });

  it("the user's TF_NUM_INTRAOP_THREADS is applied and recorded", async () => {
    const runs = await sweepSettings('threads', [16], { ...env, TF_NUM_INTRAOP_THREADS: '3' });
    for (const { settings } of runs) expect(settings).toMatchObject({ intraOpThreads: 3, interOpThreads: 3, threadsChosenBy: 'environment' });
  });
});
