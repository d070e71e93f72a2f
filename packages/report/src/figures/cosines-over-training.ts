import { recordCurvesSpec } from '../charts/record-curves';
import { figure, hasCurve, labelled, settingsTitle, type FigureDefinition } from './figure';

/** A cosine measured more than once per run, as a curve over training (Sankararaman et al. (2020), fig. 1, right). */
function cosineOverTraining(kind: string, field: string, what: string): FigureDefinition {
  return figure({
    id: `${kind}-${field}-over-training`.toLowerCase(),
    records: [kind],
    applies: (input) => hasCurve(input, kind),
    title: `${what[0]!.toUpperCase()}${what.slice(1)} over training`,
    caption: () => `The ${what} at every \`${kind}\` measurement, against the step; one line per run. Below the dashed line at 0 the gradients disagree: gradient confusion.`,
    spec: (input) => recordCurvesSpec(labelled(input.runs), { kind, field, yTitle: what, rule: 0, legendTitle: settingsTitle(input.runs) }),
  });
}

export const cosinesOverTraining: readonly FigureDefinition[] = [
  cosineOverTraining('confusion', 'meanCos', 'mean pairwise cosine of per-example gradients'),
  cosineOverTraining('confusion', 'minCos', 'min pairwise cosine of per-example gradients'),
  cosineOverTraining('minibatch-confusion', 'minCos', 'min cosine over minibatch-gradient pairs'),
  cosineOverTraining('minibatch-confusion', 'meanCos', 'mean cosine over minibatch-gradient pairs'),
];
