import { lossCurvesSpec } from '../charts/loss-curves';
import { configField, figure, finiteNumber, hasCurve, labelled, settingsTitle } from './figure';

export const trainingLoss = figure({
  id: 'training-loss',
  records: ['train'],
  applies: (input) => hasCurve(input, 'train'),
  title: 'Training loss',
  caption: (input) => {
    const logEvery = finiteNumber(configField(input.runs.find((r) => r.config !== undefined)?.config, 'logEvery'));
    return `Mean minibatch loss over each logging window${logEvery !== null ? ` of ${logEvery} steps` : ''} against the optimizer step, on a log axis. Thin lines: one run each. Where a setting has several seeds, the thick line is the geometric mean over seeds and the band exp(mean ± std) of ln loss (a log axis has no room for an arithmetic mean − std below zero).`;
  },
  spec: (input) => lossCurvesSpec(labelled(input.runs), { legendTitle: settingsTitle(input.runs) }),
});
