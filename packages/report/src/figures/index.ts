import { cosineDensity } from './cosine-density';
import { cosinesOverTraining } from './cosines-over-training';
import type { FigureDefinition } from './figure';
import { fullTrainingLoss } from './full-training-loss';
import { gramSpectrum } from './gram-spectrum';
import { measurementGrams } from './measurements';
import { nearOrthogonality } from './near-orthogonality';
import { populationGramDepth } from './population-gram-depth';
import { populationGramTraining } from './population-gram-training';
import { populationGramDistanceVsWidth, populationGramRatioVsWidth } from './population-gram-width';
import { sweptStatistics } from './swept-statistics';
import { trainingLoss } from './training-loss';
import { trainingLossAboveOptimum } from './training-loss-above-optimum';
import { trainingLossAtPickedLr } from './training-loss-at-picked-lr';
import { weightMovement } from './weight-movement';

/**
 * Every figure the report can draw, in the order a report shows them. A new figure is a file in
 * this folder and one line here; a preset that judges with it names its id in `figures`.
 */
export const figureCatalogue: readonly FigureDefinition[] = [
  trainingLoss,
  trainingLossAtPickedLr,
  trainingLossAboveOptimum,
  fullTrainingLoss,
  ...cosinesOverTraining,
  sweptStatistics,
  populationGramRatioVsWidth,
  populationGramDistanceVsWidth,
  populationGramDepth,
  populationGramTraining,
  nearOrthogonality,
  cosineDensity,
  gramSpectrum,
  weightMovement,
  measurementGrams,
];

/** The definition that draws the figure `id` (as a preset or a criterion names it), if any. */
export function figureDefinitionOf(id: string): FigureDefinition | undefined {
  return figureCatalogue.find((d) => d.drawnFrom(id) !== undefined);
}
