import type { RunRecord } from '@overparam/core';
import type { TopLevelSpec } from 'vega-lite';
import { firstSeenOrder } from '../order';
import { numberField, recordsOf } from '@overparam/experiments';
import { geometricBand } from '../stats';
import { figureSize, figureSpec, someSeriesTooShortForLine, stepAxis } from '../theme';

/** One run's records, labelled by its setting (the swept values without the seed). */
export interface LabelledRun {
  readonly run: string;
  readonly setting: string;
  readonly seed: number;
  readonly records: readonly RunRecord[];
}

export interface LossPoint {
  readonly run: string;
  readonly setting: string;
  readonly seed: number;
  readonly step: number;
  readonly loss: number;
}

export interface LossBand {
  readonly setting: string;
  readonly step: number;
  /** Geometric mean over the seeds logged at this step. */
  readonly center: number;
  readonly lower: number;
  readonly upper: number;
  readonly seeds: number;
}

/**
 * Records with a `loss` field: `train` (the mean minibatch loss of each logging window) and
 * `full-loss` (the loss on the whole training split, measured on a schedule).
 */
export type LossRecordKind = 'train' | 'full-loss';

const lossAxisTitle: Record<LossRecordKind, string> = { train: 'training loss (minibatch mean)', 'full-loss': 'training loss (whole training split)' };

/**
 * The logged minibatch losses of every run (`train` records with a finite positive loss: a log
 * axis has no place for 0), and per setting and step, over the seeds that reached it, the
 * geometric mean with the band exp(mean ± std) of ln(loss). Bands need two seeds.
 */
export function lossCurveData(runs: readonly LabelledRun[], kind: LossRecordKind = 'train'): { points: LossPoint[]; bands: LossBand[] } {
  const points: LossPoint[] = [];
  for (const r of runs) {
    for (const rec of recordsOf(r, kind)) {
      const loss = numberField(rec, 'loss');
      if (loss !== undefined && loss > 0) points.push({ run: r.run, setting: r.setting, seed: r.seed, step: rec.step, loss });
    }
  }
  const groups = new Map<string, { setting: string; step: number; losses: number[] }>();
  for (const p of points) {
    const key = JSON.stringify([p.setting, p.step]);
    const g = groups.get(key) ?? { setting: p.setting, step: p.step, losses: [] };
    g.losses.push(p.loss);
    groups.set(key, g);
  }
  const bands = [...groups.values()]
    .filter((g) => g.losses.length >= 2)
    .map((g) => {
      const b = geometricBand(g.losses);
      return { setting: g.setting, step: g.step, center: b.center, lower: b.lower, upper: b.upper, seeds: b.n };
    });
  return { points, bands };
}

/** A dashed reference curve (a theorem's bound), one per run it belongs to, labelled in the legend by `setting`. */
export type LossGuidePoint = LossPoint;

/**
 * Training loss against step on a log axis: one thin line per run, and per setting with several
 * seeds the geometric mean and its band; `guides` are drawn dashed beside them.
 */
export function lossCurvesSpec(runs: readonly LabelledRun[], options: { title?: string; kind?: LossRecordKind; yTitle?: string; guides?: readonly LossGuidePoint[]; legendTitle?: string } = {}): TopLevelSpec {
  const kind = options.kind ?? 'train';
  const { points, bands } = lossCurveData(runs, kind);
  const guides = (options.guides ?? []).filter((g) => Number.isFinite(g.loss) && g.loss > 0);
  const showPoints = someSeriesTooShortForLine(points.map((p) => p.run));
  const color = { field: 'setting', type: 'nominal', title: options.legendTitle ?? 'setting', sort: firstSeenOrder([...runs.map((r) => r.setting), ...guides.map((g) => g.setting)]) };
  const layer: object[] = [
    {
      data: { name: 'points' },
      mark: { type: 'line', strokeWidth: 1, opacity: bands.length > 0 ? 0.35 : 0.9, point: showPoints },
      encoding: { x: stepAxis, y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: options.yTitle ?? lossAxisTitle[kind] }, color, detail: { field: 'run', type: 'nominal' } },
    },
  ];
  if (bands.length > 0) {
    layer.unshift({
      data: { name: 'bands' },
      mark: { type: 'area', opacity: 0.18 },
      encoding: { x: stepAxis, y: { field: 'lower', type: 'quantitative', scale: { type: 'log' } }, y2: { field: 'upper' }, color },
    });
    layer.push({ data: { name: 'bands' }, mark: { type: 'line', strokeWidth: 2.2, point: showPoints }, encoding: { x: stepAxis, y: { field: 'center', type: 'quantitative' }, color } });
  }
  if (guides.length > 0) {
    layer.push({ data: { name: 'guides' }, mark: { type: 'line', strokeWidth: 1.6, strokeDash: [6, 4] }, encoding: { x: stepAxis, y: { field: 'loss', type: 'quantitative' }, color, detail: { field: 'run', type: 'nominal' } } });
  }
  return figureSpec(
    { points, bands, ...(guides.length > 0 ? { guides } : {}) },
    { ...(options.title !== undefined ? { title: options.title } : {}), ...figureSize, layer },
  );
}
