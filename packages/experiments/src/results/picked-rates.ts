import { canonicalJson } from '../sweep/sweep';
import type { LrPick } from '../sweep/lr-search';
import { settingOf } from './records';
import type { RunView } from './run-view';

/** What the filter needs of a learning-rate pick (lr-search.json): the grid point and the rate picked there. */
export type RatePick = Pick<LrPick, 'point' | 'lr'>;

/** A sweep cell's grid point: its overrides without `lr`, the one key the search varies within a point. */
export function gridPointOf(overrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { lr: _searched, ...point } = overrides;
  return point;
}

/**
 * The runs at the rate picked for their grid point: what a preset's criteria judge and the
 * report's picked-rate figure draws. Grid values may be objects (an optimizer spec), so points
 * and rates are compared by content. Runs outside a sweep, at another rate, or at a point where
 * no rate was eligible are left out; the order is kept.
 */
export function runsAtPickedRates<R extends Pick<RunView, 'overrides' | 'config'>>(runs: readonly R[], picks: readonly RatePick[]): R[] {
  const pickedRate = new Map(picks.map((p) => [canonicalJson(p.point), p.lr]));
  return runs.filter((r) => {
    const lr = pickedRate.get(canonicalJson(gridPointOf(r.overrides)));
    return lr !== undefined && lr !== null && canonicalJson(settingOf(r, 'lr')) === canonicalJson(lr);
  });
}
