import { OPTIMAL_LOSS_RECORD } from '@overparam/experiments';
import { lossCurvesSpec } from '../charts/loss-curves';
import { aboveOptimum } from '../excess-loss';
import { figure, labelled, settingsTitle } from './figure';

export const trainingLossAboveOptimum = figure({
  id: 'training-loss-above-optimum',
  records: [OPTIMAL_LOSS_RECORD],
  applies: (input) => aboveOptimum(labelled(input.runs)).length > 0,
  title: 'Training loss above the optimum',
  caption: () =>
    'The logged training loss minus the least loss a linear model reaches on the training split (the `optimal-loss` record; Arora et al. (2018), appendix C.1), against the step, on a log axis: how far each run still is from the optimum. Only runs that recorded the optimum are shown; thick line and band as in the training-loss figure.',
  spec: (input) => lossCurvesSpec(aboveOptimum(labelled(input.runs)), { yTitle: 'training loss − optimum', legendTitle: settingsTitle(input.runs) }),
});
