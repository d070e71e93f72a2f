import { lastValue, type LabelledRunView } from '@overparam/experiments';
import { sweptStatisticSpec, type SweptValue } from '../charts/swept-statistic';
import { drawnWhenData, type Figure } from './figure';
import { numberSetting } from './population-gram-values';

/** The swept key the figure's x axis needs: the dimension of the sphere the points are drawn from. */
const DIMENSION = 'dataOptions.d';

/** One series of `data-geometry` values against d, one point per data draw. */
function series(runs: readonly LabelledRunView[], name: string, field: string): SweptValue[] {
  return runs.flatMap((r) => {
    const x = numberSetting(r, DIMENSION);
    const value = lastValue(r, 'data-geometry', field);
    return x === undefined || value === undefined || !(value > 0) ? [] : [{ run: r.id, series: name, seed: r.seed, x, value }];
  });
}

/**
 * Sankararaman et al. (2020), Lemma B.1 as the c7 criteria judge it: the largest |⟨xᵢ, xⱼ⟩| of each
 * draw against d, beside the lemma's scale √(log N / d) and its ν at the measured δ. The measured
 * line must fall with d (parallel to the scale) and stay under ν.
 */
function nearOrthogonalityFigure(runs: readonly LabelledRunView[]): Figure[] {
  const measured = series(runs, 'max |⟨xᵢ, xⱼ⟩| (measured)', 'maxAbsInner');
  if (new Set(measured.map((v) => v.x)).size < 2) return [];
  const delta = runs.map((r) => lastValue(r, 'data-geometry', 'boundDelta')).find((d) => d !== undefined);
  const bound = series(runs, `Lemma B.1’s ν${delta !== undefined ? ` at δ = ${delta}` : ''}`, 'bound');
  const scale = series(runs, '√(log N / d)', 'scale');
  return [
    {
      id: 'near-orthogonality-vs-dimension',
      title: 'max |⟨xᵢ, xⱼ⟩| of points on the unit sphere against the dimension d',
      caption:
        'The largest |⟨xᵢ, xⱼ⟩| over all pairs of N points drawn uniformly from the unit sphere in d dimensions, against d on log–log axes, with the order √(log N / d) that Sankararaman et al. (2020) (Lemma B.1) give it and the lemma’s ν: the value a draw exceeds with probability at most δ. The claim holds where the measured line runs parallel to √(log N / d) (their ratio stays bounded) and under ν. Dots: one data draw each; line and band: mean ± std over draws.',
      spec: sweptStatisticSpec([...measured, ...scale, ...bound], { keyTitle: 'dimension d', statisticTitle: '|⟨xᵢ, xⱼ⟩|', seriesTitle: 'measured, and Lemma B.1', logX: true, logY: true }),
    },
  ];
}

export const nearOrthogonality = drawnWhenData({ id: 'near-orthogonality-vs-dimension', records: ['data-geometry'], draw: (input) => nearOrthogonalityFigure(input.runs) });
