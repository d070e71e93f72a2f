import type { LrPick } from '../sweep/lr-search';
import type { SweepCell } from '../sweep/sweep';
import type { CriterionResult, Preset, PresetResults, PresetScale, SweepResult } from '../presets/preset';
import { readRunViews, type RunSource } from './read-runs';
import type { CellResult } from './run-view';

/** Reads what a sweep's cells produced from the store they ran into (a cell that never ran reads as `absent`). */
export async function readSweepResult(key: string, cells: readonly SweepCell[], store: RunSource, lrPicks?: readonly LrPick[]): Promise<SweepResult> {
  // Every cell carries its config, so every view has one.
  const results = (await readRunViews(store, cells)) as CellResult[];
  return { key, cells: results, ...(lrPicks !== undefined ? { lrPicks } : {}) };
}

/**
 * A preset's criteria on its results. A criterion that throws (a bug, or results it cannot read)
 * becomes a failed criterion saying why, so the report still shows every other one.
 */
export function evaluateCriteria(preset: Preset, results: PresetResults, scale: PresetScale): CriterionResult[] {
  try {
    return preset.criteria(results, scale);
  } catch (e) {
    return [{ name: `${preset.id} criteria`, verdict: 'fail', measured: `could not be evaluated: ${e instanceof Error ? e.message : String(e)}` }];
  }
}

/** True when no criterion failed (only a 'fail' counts: inconclusive and reported ones do not). */
export function criteriaPass(criteria: readonly CriterionResult[]): boolean {
  return criteria.every((c) => c.verdict !== 'fail');
}
