import type { TopLevelSpec } from 'vega-lite';
import { firstSeenOrder } from '../order';
import { numberField, recordsOf } from '@overparam/experiments';
import { figureSize, figureSpec, someSeriesTooShortForLine, stepAxis } from '../theme';
import type { LabelledRun } from './loss-curves';

export interface RecordPoint {
  readonly run: string;
  readonly setting: string;
  readonly seed: number;
  readonly step: number;
  readonly value: number;
}

/** `field` of every record of `kind`, per run, against the step (records without a finite value are left out). */
export function recordCurveData(runs: readonly LabelledRun[], kind: string, field: string): RecordPoint[] {
  return runs.flatMap((r) =>
    recordsOf(r, kind).flatMap((rec) => {
      const value = numberField(rec, field);
      return value === undefined ? [] : [{ run: r.run, setting: r.setting, seed: r.seed, step: rec.step, value }];
    }),
  );
}

/**
 * A measurement over training on a linear axis (cosines can be negative, so no log axis and no
 * geometric band): one line per run, coloured by setting, and a dashed rule at `rule` when given
 * (0 for cosines: below it is gradient confusion).
 */
export function recordCurvesSpec(runs: readonly LabelledRun[], options: { kind: string; field: string; yTitle: string; rule?: number; legendTitle?: string }): TopLevelSpec {
  const points = recordCurveData(runs, options.kind, options.field);
  const showPoints = someSeriesTooShortForLine(points.map((p) => p.run));
  const color = { field: 'setting', type: 'nominal', title: options.legendTitle ?? 'setting', sort: firstSeenOrder(runs.map((r) => r.setting)) };
  const layer: object[] = [
    {
      data: { name: 'points' },
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.8, point: showPoints },
      encoding: { x: stepAxis, y: { field: 'value', type: 'quantitative', title: options.yTitle }, color, detail: { field: 'run', type: 'nominal' } },
    },
  ];
  if (options.rule !== undefined) layer.push({ data: { values: [{ y: options.rule }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { y: { field: 'y', type: 'quantitative' } } });
  return figureSpec({ points }, { ...figureSize, layer });
}
