import type { TopLevelSpec } from 'vega-lite';
import { firstSeenOrder, naturalOrder } from '../order';
import { numberField, recordsOf } from '@overparam/experiments';
import { figureSize, figureSpec, stepAxis } from '../theme';
import type { LabelledRun } from './loss-curves';

export interface MovementPoint {
  readonly run: string;
  readonly setting: string;
  readonly step: number;
  /** The layer's path, or `all` for every parameter together. */
  readonly layer: string;
  readonly ratio: number;
}

/** The label of the all-parameters curve. */
export const allLayers = 'all';

/**
 * ‖W(k) − W(0)‖_F / ‖W(0)‖_F per layer and in total from each run's `weight-movement` records.
 * Layers whose W(0) = 0 have no ratio (null in the record) and are left out.
 */
export function weightMovementData(runs: readonly LabelledRun[]): MovementPoint[] {
  const points: MovementPoint[] = [];
  for (const r of runs) {
    for (const rec of recordsOf(r, 'weight-movement')) {
      const total = numberField(rec, 'ratio');
      if (total !== undefined) points.push({ run: r.run, setting: r.setting, step: rec.step, layer: allLayers, ratio: total });
      const layers = rec['layers'];
      if (layers === null || typeof layers !== 'object') continue;
      for (const [layer, m] of Object.entries(layers as Record<string, unknown>)) {
        const { ratio, index } = m !== null && typeof m === 'object' ? (m as { ratio?: unknown; index?: unknown }) : {};
        // Records since the index was added name layers as the papers do; older ones by their path.
        const name = typeof index === 'number' ? `W(${index})` : `layer ${layer}`;
        if (typeof ratio === 'number' && Number.isFinite(ratio)) points.push({ run: r.run, setting: r.setting, step: rec.step, layer: name, ratio });
      }
    }
  }
  return points;
}

/**
 * Relative weight movement against step. One setting: one colour per layer. Several: a panel per
 * layer (all parameters first), one colour per setting, so a sweep's curves stay apart.
 */
export function weightMovementSpec(runs: readonly LabelledRun[], options: { title?: string; legendTitle?: string } = {}): TopLevelSpec {
  const points = weightMovementData(runs);
  const settings = firstSeenOrder(points.map((p) => p.setting));
  const layers = [allLayers, ...naturalOrder(points.map((p) => p.layer).filter((l) => l !== allLayers))];
  const y = { field: 'ratio', type: 'quantitative', title: '‖W(k) − W(0)‖ / ‖W(0)‖' };
  const title = options.title !== undefined ? { title: options.title } : {};
  const mark = { type: 'line', point: true, strokeWidth: 1.8 };
  const detail = { field: 'run', type: 'nominal' };
  if (settings.length <= 1) {
    return figureSpec(
      { points },
      { ...title, ...figureSize, data: { name: 'points' }, mark, encoding: { x: stepAxis, y, color: { field: 'layer', type: 'nominal', title: 'parameters', sort: layers }, detail } },
    );
  }
  return figureSpec(
    { points },
    {
      ...title,
      data: { name: 'points' },
      facet: { field: 'layer', type: 'nominal', title: null, sort: layers },
      columns: 3,
      spec: { width: 220, height: 150, mark, encoding: { x: stepAxis, y, color: { field: 'setting', type: 'nominal', title: options.legendTitle ?? 'setting', sort: settings }, detail } },
    },
  );
}
