import { recordsOf } from '@overparam/experiments';
import { gramSpectrumSpec, maxSpectrumReferences } from '../charts/gram-spectrum';
import { figure, hasCurve, labelled, settingsTitle } from './figure';

export const gramSpectrum = figure({
  id: 'gram-spectrum',
  records: ['spectrum'],
  applies: (input) => hasCurve(input, 'spectrum'),
  title: 'Spectrum of the Gram during training',
  caption: (input) => {
    const settings = new Set(input.runs.filter((r) => recordsOf(r, 'spectrum').length > 0).map((r) => r.setting)).size;
    const reference =
      settings <= maxSpectrumReferences
        ? 'dotted: half of each setting’s λ_min at step 0, averaged over seeds (Du et al. show λ_min(G(k)) ≥ λ₀/2 throughout training for wide enough nets)'
        : `the λ_min(0)/2 reference lines are left out for more than ${maxSpectrumReferences} settings`;
    return `Top: λ_min (solid) and λ_max (dashed) of the Gram of a fixed set of training examples against the step; ${reference}. Bottom: the condition number κ = λ_max / λ_min. Log axes where all values are positive.`;
  },
  spec: (input) => gramSpectrumSpec(labelled(input.runs), { legendTitle: settingsTitle(input.runs) }),
});
