import { recordsOf } from '@overparam/experiments';
import { lossCurvesSpec } from '../charts/loss-curves';
import { pickedRatesText, runsAtPickedRate } from '../lr-picks';
import { figure, labelled, settingsTitle, type FigureInput } from './figure';

const picked = (input: FigureInput) => runsAtPickedRate(input.runs, input.lrPicks);

export const trainingLossAtPickedLr = figure({
  id: 'training-loss-at-picked-lr',
  records: ['train'],
  applies: (input) => picked(input).some((r) => recordsOf(r, 'train').length > 0),
  title: 'Training loss at the picked learning rate',
  caption: (input) =>
    `The training loss of only the runs at the learning rate that the ${[...new Set(input.lrPicks.map((p) => p.rule))].join(', ')} rule picked for each grid point (${pickedRatesText(input.lrPicks)}; lr-search.json, and the learning-rate search table says why), which is what the criteria judge; the training-loss figure shows every rate tried. Grid points where no rate was eligible have no curve. Thin lines, thick line and band as in the training-loss figure.`,
  spec: (input) => lossCurvesSpec(labelled(picked(input)), { legendTitle: settingsTitle(picked(input)) }),
});
