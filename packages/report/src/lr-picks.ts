import { asSetting, runsAtPickedRates, settingLabel, withSettings, type LabelledRunView, type LrPickView, type SettingValue } from '@overparam/experiments';

/** A grid point of a learning-rate search as the figures' legends name settings (`depth=4, width=64`). */
export function gridPointLabel(point: Readonly<Record<string, unknown>>): string {
  const shown: Record<string, SettingValue> = {};
  for (const [key, value] of Object.entries(point)) shown[key] = asSetting(value) ?? 'null';
  return settingLabel(shown, 'every run (no other swept key)');
}

/**
 * A run of a figure drawn at the picked rates, its label without `lr`: the rate is the rule's pick
 * for the run's grid point, so it tells no series apart (and would split one grid point's series
 * where picks differ); the caption says which rates were picked (`pickedRatesText`).
 */
export function withoutRate(run: LabelledRunView): LabelledRunView {
  if (!('lr' in run.settings)) return run;
  const { lr: _picked, ...settings } = run.settings;
  return withSettings(run, settings);
}

/** The runs at each grid point's picked rate, labelled without the rate. */
export function runsAtPickedRate(runs: readonly LabelledRunView[], lrPicks: readonly LrPickView[]): LabelledRunView[] {
  return runsAtPickedRates(runs, lrPicks).map(withoutRate);
}

/** The rates the rule picked, for a caption: `0.01 at every grid point`, or each rate with how many grid points picked it. */
export function pickedRatesText(lrPicks: readonly LrPickView[]): string {
  const counts = new Map<string, number>();
  for (const p of lrPicks) {
    const rate = p.lr === null ? 'none eligible' : String(p.lr);
    counts.set(rate, (counts.get(rate) ?? 0) + 1);
  }
  if (counts.size === 1) return `${[...counts.keys()][0]!} at every grid point`;
  return [...counts].map(([rate, n]) => `${rate} at ${n} grid point${n === 1 ? '' : 's'}`).join(', ');
}
