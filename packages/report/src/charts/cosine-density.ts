import type { TopLevelSpec } from 'vega-lite';
import { firstSeenOrder } from '../order';
import { figureSize, figureSpec } from '../theme';

/** The pairwise gradient cosines of one setting, pooled over its runs (the paper pools over seeds). */
export interface CosineSample {
  readonly setting: string;
  readonly values: readonly number[];
}

/** Grid points of each density curve on [−1, 1]. */
export const densitySteps = 200;

/**
 * The kernel density of pairwise gradient cosines, one curve per setting (Sankararaman et al. (2020), figs. 2–4
 * panel c). The spec carries the cosines themselves and lets Vega's `density` transform estimate
 * the density (Gaussian kernel, Scott's bandwidth), so the curve is drawn from exactly the values
 * measured.
 */
export function cosineDensitySpec(samples: readonly CosineSample[], options: { title?: string; legendTitle?: string } = {}): TopLevelSpec {
  const cosines = samples.flatMap((s) => s.values.filter(Number.isFinite).map((cosine) => ({ setting: s.setting, cosine })));
  const x = { field: 'cosine', type: 'quantitative', title: 'cosine of two minibatch gradients', scale: { domain: [-1, 1] }, axis: { values: [-1, -0.5, 0, 0.5, 1] } };
  return figureSpec(
    { cosines, zero: [{ cosine: 0 }] },
    {
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...figureSize,
      layer: [
        {
          data: { name: 'cosines' },
          transform: [{ density: 'cosine', groupby: ['setting'], extent: [-1, 1], steps: densitySteps, as: ['cosine', 'density'] }],
          mark: { type: 'line', strokeWidth: 2 },
          encoding: { x, y: { field: 'density', type: 'quantitative', title: 'density' }, color: { field: 'setting', type: 'nominal', title: options.legendTitle ?? 'setting', sort: firstSeenOrder(samples.map((s) => s.setting)) } },
        },
        { data: { name: 'zero' }, mark: { type: 'rule', strokeDash: [4, 4], color: '#666' }, encoding: { x: { field: 'cosine', type: 'quantitative' } } },
      ],
    },
  );
}
