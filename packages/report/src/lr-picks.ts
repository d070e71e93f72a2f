import { OverparamError } from '@overparam/core';
import { canonicalJson, type LrPick } from '@overparam/experiments';
import { asSetting, settingLabel, type ReportRun, type SettingValue } from './run-view';

/**
 * What the report takes from lr-search.json, which a sweep with a learning-rate search writes
 * beside sweep.json: per grid point, the rate its rule picked (null when no rate was eligible),
 * why, and whether the pick is on the edge of the rate grid. The rule stays a string so a file
 * from a newer version with a rule this one does not know is still shown.
 */
export type LrPickView = Pick<LrPick, 'point' | 'lr' | 'reason' | 'onEdge'> & { readonly rule: string };

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** What is wrong with one entry of lr-search.json, or undefined when it has what the report needs. */
function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return 'is not an object';
  if (!isObject(entry['point'])) return 'has no `point` object (the grid values without lr)';
  if (typeof entry['rule'] !== 'string') return 'has no `rule` name';
  const lr = entry['lr'];
  if (lr !== null && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) return `has lr ${JSON.stringify(lr)}; expected a positive number, or null when no rate was eligible`;
  if (typeof entry['reason'] !== 'string') return 'has no `reason` text';
  if (typeof entry['onEdge'] !== 'boolean') return 'has no boolean `onEdge`';
  if (!Array.isArray(entry['candidates'])) return 'has no `candidates` list';
  return undefined;
}

/** Checks parsed lr-search.json; `path` names the file in the error. */
export function checkLrPicks(value: unknown, path: string): LrPickView[] {
  if (!Array.isArray(value)) throw new OverparamError('RUN_IO', `${path} is not a list of learning-rate picks; is it an lr-search.json written by overparam sweep?`);
  return value.map((entry: unknown, i) => {
    const problem = entryProblem(entry);
    if (problem !== undefined) throw new OverparamError('RUN_IO', `${path}: entry ${i} ${problem}; is it an lr-search.json written by overparam sweep?`);
    const e = entry as Record<string, unknown>;
    return { point: e['point'] as Record<string, unknown>, rule: e['rule'] as string, lr: e['lr'] as number | null, reason: e['reason'] as string, onEdge: e['onEdge'] as boolean };
  });
}

/** A sweep cell's grid point: its overrides without `lr`, the one key the search varies within a point. */
export function gridPointOf(overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { lr: _searched, ...point } = overrides;
  return point;
}

/**
 * The runs at the rate picked for their grid point: what a preset's criteria judge. Runs outside
 * a sweep, at another rate, or at a point where no rate was eligible are left out.
 */
export function runsAtPickedRates(runs: readonly ReportRun[], picks: readonly LrPickView[]): ReportRun[] {
  const pickedRate = new Map(picks.map((p) => [canonicalJson(p.point), p.lr]));
  return runs.filter((r) => {
    if (r.overrides === undefined) return false;
    const lr = pickedRate.get(canonicalJson(gridPointOf(r.overrides)));
    return lr !== undefined && lr !== null && r.overrides['lr'] === lr;
  });
}

/** A grid point as the figures' legends name settings (`depth=4, width=64`). */
export function gridPointLabel(point: Readonly<Record<string, unknown>>): string {
  const shown: Record<string, SettingValue> = {};
  for (const [key, value] of Object.entries(point)) shown[key] = asSetting(value) ?? 'null';
  return settingLabel(shown, 'every run (no other swept key)');
}
