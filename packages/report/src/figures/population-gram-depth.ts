import { numberField, type LabelledRunView } from '@overparam/experiments';
import { sweptStatisticSpec } from '../charts/swept-statistic';
import { drawnWhenData, type Figure } from './figure';
import { atInit, measuredAtInit, netOf, values } from './population-gram-values';

/** λ_min(G⁽ᴴ⁾(0)) of each net against the depth H, with λ₀ of its population recursion (c13). */
function depthFigure(runs: readonly LabelledRunView[]): Figure[] {
  const key = 'archOptions.depth';
  // Only resolved, positive eigenvalues fit a log axis; the criteria say which depths fell below float32 resolution.
  const measured = values(runs, key, (r) => `${netOf(r)}, measured`, (r) => {
    const v = numberField(atInit(r), 'lambdaMinLast');
    const max = numberField(atInit(r), 'lambdaMaxLast');
    return v !== undefined && v > 0 && (max === undefined || v > 2 * 2 ** -23 * max) ? v : undefined;
  });
  const lambda0 = values(runs, key, (r) => `${netOf(r)}, λ₀`, (r) => {
    const v = numberField(atInit(r), 'lambda0');
    return v !== undefined && v > 0 ? v : undefined;
  });
  if (new Set(measured.map((v) => v.x)).size < 2) return [];
  return [
    {
      id: 'population-gram-depth',
      title: 'λ_min(G⁽ᴴ⁾(0)) against the depth',
      caption:
        'The smallest eigenvalue of the last layer’s Gram G⁽ᴴ⁾(0) of a wide net at initialization (an estimate of λ₀) against the depth H, log axes, for each net, with λ₀ of its population recursion. Points below float32 resolution (2ε₃₂·λ_max of the Gram) are left out: where a net’s line stops, its λ_min is smaller than float32 gradients can tell. So is a λ₀ at or below 0: float64 rounding of a value below about 1e-15 times the Gram’s largest entry. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...measured, ...lambda0], { keyTitle: 'depth H', statisticTitle: 'λ_min', seriesTitle: 'net', logX: true, logY: true }),
    },
  ];
}

export const populationGramDepth = drawnWhenData({ id: 'population-gram-depth', records: ['population-gram'], draw: (input) => depthFigure(measuredAtInit(input.runs)) });
