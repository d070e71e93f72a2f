import type { TopLevelSpec } from 'vega-lite';
import { isLogarithmicGrid } from '../grid';
import { firstSeenOrder } from '../order';
import { meanStd } from '../stats';
import { figureSize, figureSpec } from '../theme';

/** One run's value of a statistic at its swept value `x`; `series` holds the other swept values. */
export interface SweptValue {
  readonly run: string;
  readonly series: string;
  readonly seed: number;
  readonly x: number;
  readonly value: number;
}

export interface SweptAggregate {
  readonly series: string;
  readonly x: number;
  readonly mean: number;
  readonly std: number;
  readonly lower: number;
  readonly upper: number;
  readonly seeds: number;
}

export interface SweptStatisticOptions {
  /** The swept key as the axis shows it, e.g. `depth`. */
  readonly keyTitle: string;
  /** The statistic as the axis shows it, e.g. `min cosine (end of training)`. */
  readonly statisticTitle: string;
  /** What the coloured series are, as the legend's title (`activation, init`; `curve`). */
  readonly seriesTitle: string;
  /** Log x; by default when the swept values form a geometric grid (see `isLogarithmicGrid`). */
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly title?: string;
}

/** Mean ± sample std over seeds, per series and swept value. */
export function sweptAggregates(values: readonly SweptValue[]): SweptAggregate[] {
  const groups = new Map<string, { series: string; x: number; vs: number[] }>();
  for (const v of values) {
    const key = JSON.stringify([v.series, v.x]);
    const g = groups.get(key) ?? { series: v.series, x: v.x, vs: [] };
    g.vs.push(v.value);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => {
      const s = meanStd(g.vs);
      return { series: g.series, x: g.x, mean: s.mean, std: s.std, lower: s.mean - s.std, upper: s.mean + s.std, seeds: s.n };
    })
    .sort((a, b) => (a.series === b.series ? a.x - b.x : a.series < b.series ? -1 : 1));
}

/** A statistic against a swept key: every seed as a dot, the mean as a line, mean ± std as a band. */
export function sweptStatisticSpec(values: readonly SweptValue[], options: SweptStatisticOptions): TopLevelSpec {
  const finite = values.filter((v) => Number.isFinite(v.value) && Number.isFinite(v.x));
  const aggregates = sweptAggregates(finite);
  const logX = options.logX ?? isLogarithmicGrid(finite.map((v) => v.x));
  const logY = options.logY === true;
  // Ticks at the swept values themselves, and a little room around them instead of a "nice" domain
  // (a log axis would otherwise stretch 16…256 to 10…1000).
  const xs = [...new Set(finite.map((v) => v.x))].sort((a, b) => a - b);
  const x = { field: 'x', type: 'quantitative', title: options.keyTitle, scale: { ...(logX ? { type: 'log' } : { zero: false }), nice: false, padding: 18 }, axis: { values: xs } };
  const yScale = logY ? { type: 'log' } : { zero: false };
  const color = { field: 'series', type: 'nominal', title: options.seriesTitle, sort: firstSeenOrder(finite.map((v) => v.series)) };
  const layer = [
    {
      data: { name: 'aggregates' },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x, y: { field: 'lower', type: 'quantitative', scale: yScale, title: options.statisticTitle }, y2: { field: 'upper' }, color },
    },
    { data: { name: 'aggregates' }, mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
    { data: { name: 'values' }, mark: { type: 'circle', size: 28, opacity: 0.55 }, encoding: { x, y: { field: 'value', type: 'quantitative' }, color } },
  ];
  return figureSpec(
    { values: finite, aggregates },
    { ...(options.title !== undefined ? { title: options.title } : {}), ...figureSize, layer },
  );
}
