import { numberField, type LabelledRunView } from '@overparam/experiments';
import { sweptStatisticSpec } from '../charts/swept-statistic';
import { drawnWhenData, type Figure } from './figure';
import { atInit, guide, measuredAtInit, values } from './population-gram-values';

/** λ_min(G⁽ᴴ⁾(0)) / λ₀ and max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width m (c12's initialization claims). */
function widthFigures(runs: readonly LabelledRunView[]): Figure[] {
  const key = 'archOptions.width';
  const ratio = values(runs, key, () => 'λ_min(G⁽ᴴ⁾(0)) / λ₀', (r) => numberField(atInit(r), 'lambdaRatio'));
  const diff = values(runs, key, () => 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾|', (r) => numberField(atInit(r), 'maxAbsDiff'));
  if (new Set(ratio.map((v) => v.x)).size < 2) return [];
  return [
    {
      id: 'population-gram-ratio-vs-width',
      title: 'λ_min(G⁽ᴴ⁾(0)) / λ₀ against the width',
      caption:
        'The smallest eigenvalue of the last layer’s Gram G⁽ᴴ⁾(0) at initialization over λ₀ = λ_min(K⁽ᴴ⁾) of the population recursion on the same inputs, against the width m (log axes). Du et al. (2019) (§5) show it tends to 1 as m grows. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...ratio, ...ratio.map((v) => ({ ...v, run: `one-${v.x}`, series: '1 (the limit)', value: 1 }))], { keyTitle: 'width m', statisticTitle: 'λ_min(G⁽ᴴ⁾(0)) / λ₀', seriesTitle: 'measured, and the limit', logX: true, logY: true }),
    },
    {
      id: 'population-gram-distance-vs-width',
      title: 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width',
      caption:
        'The largest entry of |G⁽ᴴ⁾(0) − K⁽ᴴ⁾| against the width m on log–log axes, with a guide of slope −½ through the narrowest width’s mean: the concentration Du et al. (2019) (§5) prove makes every entry shrink like 1/√m. Dots: one net each; line and band: mean ± std over nets.',
      spec: sweptStatisticSpec([...diff, ...guide(diff, -0.5, 'slope −½ guide')], { keyTitle: 'width m', statisticTitle: 'max |G⁽ᴴ⁾(0) − K⁽ᴴ⁾|', seriesTitle: 'measured, and the guide', logX: true, logY: true }),
    },
  ];
}

const ofWidth = (id: string) => drawnWhenData({ id, records: ['population-gram'], draw: (input) => widthFigures(measuredAtInit(input.runs)).filter((f) => f.id === id) });

export const populationGramRatioVsWidth = ofWidth('population-gram-ratio-vs-width');
export const populationGramDistanceVsWidth = ofWidth('population-gram-distance-vs-width');
