import { measurementFigure } from '../measurement';
import type { Figure, FigureDefinition } from './figure';

/** The Gram heatmap of each measurement directory (`overparam measure`) that holds one small enough to draw. */
export const measurementGrams: FigureDefinition = {
  id: 'measurement-gram',
  // Drawn from measure.json and gram.f64, not from a preset's runs.
  drawnFrom: () => undefined,
  applies: (input) => input.measurements.some((m) => m.gram !== null),
  draw: (input) => input.measurements.flatMap((m): Figure[] => {
    const figure = measurementFigure(m);
    return figure === undefined ? [] : [figure];
  }),
};
