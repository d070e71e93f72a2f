import { OverparamError } from '@overparam/core';
import { join } from 'node:path';
import { presetSweeps, type PresetOverride } from './registry';
import { criteriaPass, evaluateCriteria, readSweepResult } from '../results/preset-results';
import type { CriterionResult, Preset, PresetResults, PresetScale } from './preset';
import { makeDirectory, writeFileAtomic } from '../store/files';
import { lockDirectory } from '../store/lock';
import { presetReplicas } from '../run/replica-group';
import { sweepCells } from '../sweep/sweep';
import { runSweep, sweepStore, type SweepOptions, type SweepProgress, type SweepReport } from '../sweep/sweep-runner';

/**
 * A preset reproduction directory: one sweep directory per sweep key (`<out>/<key>/`, exactly
 * what `overparam sweep` writes, so `--emit slurm`, shards and merge work on it), each sweep's
 * file beside it (`<key>.sweep.json`), and `preset.json`: the claim, the scale and the criteria
 * as evaluated on the results.
 */
export const PRESET_FILES = { preset: 'preset.json', sweepFile: (key: string) => `${key}.sweep.json` } as const;

export interface ReproduceOptions extends Omit<SweepOptions, 'outDir' | 'onProgress'> {
  readonly scale: PresetScale;
  readonly outDir: string;
  /** Changes to every sweep's base config (`--backend`, `--set`). */
  readonly overrides?: readonly PresetOverride[];
  readonly onProgress?: (key: string, progress: SweepProgress) => void;
}

export interface Reproduction {
  readonly preset: string;
  readonly scale: PresetScale;
  readonly outDir: string;
  /** The sweep directories, by key, in the preset's order (what the report reads). */
  readonly sweepDirs: ReadonlyArray<{ readonly key: string; readonly dir: string }>;
  readonly sweeps: readonly SweepReport[];
  readonly criteria: readonly CriterionResult[];
  /** No criterion failed; false too while cells are unfinished (a stopped or sharded run). */
  readonly passed: boolean;
  /** Cells not ended yet (stopped, or in other shards): the criteria are then provisional. */
  readonly unfinished: number;
}

/** Writes each sweep of the scale as a sweep file under `outDir` (for `overparam sweep --emit slurm`), returning their paths. */
export async function writePresetSweepFiles(
  preset: Preset,
  scale: PresetScale,
  outDir: string,
  overrides: readonly PresetOverride[] = [],
): Promise<Array<{ key: string; file: string; dir: string; name: string; cells: number }>> {
  // Every sweep is checked before any file is written.
  const sweeps = presetSweeps(preset, scale, overrides);
  await makeDirectory(outDir);
  const written = [];
  for (const { key, spec } of sweeps) {
    const file = join(outDir, PRESET_FILES.sweepFile(key));
    await writeFileAtomic(file, `${JSON.stringify(spec, null, 2)}\n`);
    written.push({ key, file, dir: join(outDir, key), name: spec.name, cells: sweepCells(spec).length });
  }
  return written;
}

/**
 * Runs a preset at one scale: every sweep (finished cells are skipped, killed ones resume), then
 * the criteria on what the sweeps hold, written to preset.json. The report is the caller's
 * (the CLI renders it with @overparam/report).
 */
export async function reproducePreset(preset: Preset, options: ReproduceOptions): Promise<Reproduction> {
  // Every sweep is checked before the directory is locked or written.
  presetSweeps(preset, options.scale, options.overrides ?? []);
  // One reproduction per directory: a second is refused at once (RUN_LOCKED) instead of racing on preset.json.
  const lock = await lockDirectory(options.outDir);
  try {
    return await reproduceLocked(preset, options);
  } finally {
    await lock.release();
  }
}

async function reproduceLocked(preset: Preset, options: ReproduceOptions): Promise<Reproduction> {
  const { scale, outDir, onProgress, overrides = [], ...sweepOptions } = options;
  const files = await writePresetSweepFiles(preset, scale, outDir, overrides);
  const sweeps: SweepReport[] = [];
  const results: Record<string, PresetResults[string]> = {};
  let unfinished = 0;
  for (const { key, spec } of presetSweeps(preset, scale, overrides)) {
    if (options.signal?.aborted === true) break;
    const dir = join(outDir, key);
    const report = await runSweep(spec, { ...sweepOptions, replicas: presetReplicas(preset, options.replicas), outDir: dir, ...(onProgress !== undefined ? { onProgress: (p) => onProgress(key, p) } : {}) });
    sweeps.push(report);
    const result = await readSweepResult(key, sweepCells(spec), sweepStore(dir), report.lrPicks);
    unfinished += result.cells.filter((c) => c.status === 'running' || c.status === 'aborted' || c.status === 'absent').length;
    results[key] = result;
  }
  if (options.signal?.aborted === true) {
    throw new OverparamError('RUN_IO', `stopped: ${preset.id} at scale ${scale} is unfinished; run the same command again to resume it`);
  }
  const criteria = evaluateCriteria(preset, results, scale);
  const passed = unfinished === 0 && criteriaPass(criteria);
  await writeFileAtomic(
    join(outDir, PRESET_FILES.preset),
    `${JSON.stringify({ id: preset.id, claim: preset.claim, source: preset.source, scale, scaledDown: preset.scales[scale].scaledDown, passed, unfinished, criteria }, null, 2)}\n`,
  );
  return { preset: preset.id, scale, outDir, sweepDirs: files.map(({ key, dir }) => ({ key, dir })), sweeps, criteria, passed, unfinished };
}
