import type { TopLevelSpec } from 'vega-lite';

/**
 * The look every figure shares, stated once. The font is the one the PNG rasterizer is given
 * (DejaVu Sans, shipped by the `dejavu-fonts-ttf` dependency), so Node's PNGs and a browser with
 * the font installed show the same text; other browsers fall back to their sans-serif.
 */
export const figureFont = 'DejaVu Sans';

export const figureSize = { width: 460, height: 280 } as const;

/** A panel in a figure with two stacked panels. */
export const panelSize = { width: 460, height: 180 } as const;

/**
 * The x encoding of every figure against the optimizer step. Steps are whole numbers: without an
 * integer format a run logged at one step only gets ticks like "0.000000".
 */
export const stepAxis = { field: 'step', type: 'quantitative', title: 'step', axis: { format: ',d', tickMinStep: 1 } } as const;

/**
 * Series shorter than this are drawn with their points as well as their line: a line through one
 * point draws nothing, and two points joined look like a trend more than two measurements.
 */
const shortestBareLine = 3;

/** Whether a figure's lines need point marks: `seriesOfEachPoint` names, per data point, the line it belongs to. */
export function someSeriesTooShortForLine(seriesOfEachPoint: Iterable<string>): boolean {
  const counts = new Map<string, number>();
  for (const series of seriesOfEachPoint) counts.set(series, (counts.get(series) ?? 0) + 1);
  return [...counts.values()].some((n) => n < shortestBareLine);
}

export const vegaLiteSchema = 'https://vega.github.io/schema/vega-lite/v6.json';

const config = {
  font: figureFont,
  background: 'white',
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.5 },
  // Legend symbols as strokes at full opacity, not the pale fill of a band layer.
  // The SVG renderer has no canvas and estimates a label at 0.8 × font size per character, so 260 px
  // cut a setting of three swept keys ("depth=10, batchNorm=false, skip=true") to its first 28 characters.
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 480, titleLimit: 480, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2.5 },
  title: { fontSize: 14, anchor: 'start' as const },
  view: { stroke: '#bbb' },
};

/**
 * Wraps a figure's body with the schema, the shared config and its named data sets (kept in
 * `datasets` so a spec's numbers sit in one place: the test reads them, the report writes them
 * into report.json).
 */
export function figureSpec(datasets: Record<string, readonly object[]>, body: Record<string, unknown>): TopLevelSpec {
  return { $schema: vegaLiteSchema, config, datasets: datasets as Record<string, object[]>, ...body } as TopLevelSpec;
}
