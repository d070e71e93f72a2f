import { lastRecord, lastValue, shortKey, settingLabel, type LabelledRunView, type SettingValue } from '@overparam/experiments';
import { sweptStatisticSpec, type SweptValue } from '../charts/swept-statistic';
import { runStatistics } from '../statistics';
import { settingsTitle, type Figure, type FigureDefinition, type FigureInput } from './figure';

/**
 * One figure per run statistic (statistics.ts) and numeric swept key: the statistic against the
 * key, one colour per setting of the other keys. Ids are `<statistic>-vs-<key>`
 * (`min-cosine-vs-depth`), which criteria name.
 */

/** Swept keys with numeric values that take at least two values: each can be an x axis. */
function numericSweptKeys(runs: readonly LabelledRunView[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.settings)));
  return [...keys].filter((k) => {
    const values = runs.map((r) => r.settings[k]);
    return values.every((v) => typeof v === 'number') && new Set(values).size >= 2;
  });
}

function without(settings: Readonly<Record<string, SettingValue>>, key: string): Record<string, SettingValue> {
  const { [key]: _dropped, ...rest } = settings;
  return rest;
}

const DATA_BOUND = 'data bound −max |cos(xᵢ, xⱼ)|';

/** −max |cos(xᵢ, xⱼ)| of each run's inputs (its `data-geometry` record), as a series of a swept figure. */
function dataBound(runs: readonly LabelledRunView[], key: string): SweptValue[] {
  return runs.flatMap((r) => {
    const cos = lastValue(r, 'data-geometry', 'maxAbsCosine');
    const x = r.settings[key];
    return cos === undefined || typeof x !== 'number' ? [] : [{ run: `${r.id}-data`, series: DATA_BOUND, seed: r.seed, x, value: -cos }];
  });
}

/**
 * The step every run took a record-based statistic at, when they agree: a statistic measured only at
 * initialization (c2's Theorem 4.1 check) must say so, or a reader takes it for the end of training.
 */
function commonStep(runs: readonly LabelledRunView[], kinds: readonly string[]): number | undefined {
  const steps = new Set(runs.flatMap((r) => kinds.flatMap((kind) => lastRecord(r, kind)?.step ?? [])));
  return steps.size === 1 ? [...steps][0] : undefined;
}

const figureId = (stat: string, key: string) => `${stat}-vs-${shortKey(key)}`.replace(/[^a-z0-9-]+/gi, '-');

function draw({ runs }: FigureInput): Figure[] {
  const figures: Figure[] = [];
  for (const key of numericSweptKeys(runs)) {
    for (const stat of runStatistics) {
      const values: SweptValue[] = [];
      for (const r of runs) {
        // A run that took no step has no training loss or accuracy to show, only its initial state.
        if (stat.afterTraining === true && r.summary?.steps === 0) continue;
        const value = stat.read(r);
        if (value !== undefined) values.push({ run: r.id, series: settingLabel(without(r.settings, key), 'all runs', r.named), seed: r.seed, x: r.settings[key] as number, value });
      }
      if (values.length === 0) continue;
      // A min cosine is bounded below by the data itself where the runs measured it (exact for
      // orthogonal square layers, Sankararaman et al. (2020), §6): draw −max |cos(xᵢ, xⱼ)| beside it.
      const bound = stat.id.endsWith('min-cosine') ? dataBound(runs, key) : [];
      values.push(...bound);
      const positive = values.every((v) => v.value > 0);
      const seeds = new Set(values.map((v) => v.seed)).size;
      const step = commonStep(runs, stat.records);
      const when = step === undefined ? '' : step === 0 ? ' at initialization' : ` at step ${step}`;
      figures.push({
        id: figureId(stat.id, key),
        title: `${stat.title}${when} against ${shortKey(key)}`,
        caption: `${stat.title[0]!.toUpperCase()}${stat.title.slice(1)}: ${stat.meaning}, against the swept ${key}${step === undefined ? '' : ` (every run measured it${when})`}.${bound.length > 0 ? ` “${DATA_BOUND}”: the most negative cosine the inputs allow, −max |cos(xᵢ, xⱼ)| over the measured examples (the \`data-geometry\` record).` : ''} Dots: one run each (${seeds} seed${seeds === 1 ? '' : 's'}); line and band: mean ± sample standard deviation over the runs at each value (seeds, and data draws when the data seed is swept); one colour per setting of the other swept keys.`,
        spec: sweptStatisticSpec(values, { keyTitle: shortKey(key), statisticTitle: stat.title, seriesTitle: settingsTitle(runs, key), logY: stat.logY === true && positive }),
      });
    }
  }
  return figures;
}

export const sweptStatistics: FigureDefinition = {
  id: 'swept-statistics',
  drawnFrom: (id) => {
    const stat = runStatistics.find((s) => id.startsWith(`${s.id}-vs-`));
    return stat === undefined ? undefined : { records: stat.records, sweptKey: id.slice(stat.id.length + '-vs-'.length) };
  },
  applies: (input) => numericSweptKeys(input.runs).length > 0,
  draw,
};
