/**
 * Suite `sweep`: cells per hour of `overparam sweep` at `--jobs 1` and `--jobs 2` on the active
 * backend, with the real command (worker processes and all), on a sweep of 8 small MLP cells.
 * What `--jobs` buys is the ratio: a wasm worker is single-threaded, so on 2 cores `--jobs 2`
 * should approach 2×. Each worker process loads TensorFlow.js once (a few seconds), which the
 * cells must be long enough to amortize.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitError, emitMeasurement, log } from './emit';
import type { Suite } from './suite';

const SUITE = 'sweep';
const repoRoot = join(import.meta.dirname, '..', '..');
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

export const sweepSuite: Suite = {
  name: SUITE,
  description: 'sweep throughput (cells per hour) at --jobs 1 and 2, 8 cells of MLP-2-64 on synthetic data',
  async run(context) {
    const steps = context.settings.quick ? 50 : 2000;
    const spec = {
      name: 'bench',
      base: { arch: 'mlp', archOptions: { depth: 2, width: 64 }, data: 'synthetic', steps, batchSize: 64, backend: context.backend },
      grid: { lr: [0.1, 0.05, 0.02, 0.01] },
      seeds: [0, 1],
    };
    const root = await mkdtemp(join(tmpdir(), 'overparam-bench-sweep-'));
    try {
      const file = join(root, 'bench.json');
      await writeFile(file, JSON.stringify(spec));
      const perHour: Record<number, number> = {};
      for (const jobs of [1, 2]) {
        const started = performance.now();
        const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@overparam/source', cli, 'sweep', file, '--out', join(root, `jobs-${jobs}`), '--jobs', String(jobs)], {
          cwd: repoRoot,
          encoding: 'utf8',
          timeout: 1_800_000,
        });
        const seconds = (performance.now() - started) / 1000;
        if (r.status !== 0) {
          emitError(SUITE, `jobs-${jobs}`, context.backend, new Error(`sweep exited ${r.status}: ${r.stderr.split('\n').slice(-3).join(' ')}`));
          continue;
        }
        perHour[jobs] = (8 / seconds) * 3600;
        log(`sweep --jobs ${jobs}: 8 cells in ${seconds.toFixed(1)} s`);
        emitMeasurement({ suite: SUITE, name: `jobs-${jobs}`, backend: context.backend, unit: 'cells/hour', median: perHour[jobs]!, min: perHour[jobs]!, max: perHour[jobs]!, reps: 1, jobs, cells: 8, steps, seconds });
      }
      if (perHour[1] !== undefined && perHour[2] !== undefined) {
        const ratio = perHour[2] / perHour[1];
        emitMeasurement({ suite: SUITE, name: 'jobs-2-vs-1', backend: context.backend, unit: 'ratio', median: ratio, min: ratio, max: ratio, reps: 1 });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
