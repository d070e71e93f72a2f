import { lastRecord } from '@overparam/experiments';
import { cosineDensitySpec, type CosineSample } from '../charts/cosine-density';
import { figure, settingsTitle, type FigureInput } from './figure';

/** The cosines of each setting's last `minibatch-confusion` measurement, pooled over its seeds. */
function cosineSamples(input: FigureInput): CosineSample[] {
  const bySetting = new Map<string, number[]>();
  for (const r of input.runs) {
    const values = lastRecord(r, 'minibatch-confusion')?.['cosineValues'];
    if (!Array.isArray(values)) continue;
    const pooled = bySetting.get(r.setting) ?? [];
    for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) pooled.push(v);
    bySetting.set(r.setting, pooled);
  }
  return [...bySetting].filter(([, values]) => values.length >= 2).map(([setting, values]) => ({ setting, values }));
}

export const cosineDensity = figure({
  id: 'cosine-density',
  records: ['minibatch-confusion'],
  applies: (input) => cosineSamples(input).length > 0,
  title: 'Density of pairwise gradient cosines',
  caption: () =>
    "Kernel density (Gaussian kernel, Scott's bandwidth) of the cosines between pairs of minibatch gradients at the last `minibatch-confusion` measurement, pooled over the seeds of each setting (as in Sankararaman et al., figs. 2–4 panel c). Mass left of the dashed line at 0 is gradient confusion.",
  spec: (input) => cosineDensitySpec(cosineSamples(input), { legendTitle: settingsTitle(input.runs) }),
});
