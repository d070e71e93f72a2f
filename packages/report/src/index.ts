/**
 * @overparam/report: runs → Vega-Lite specs (pure data, usable in Node and in a browser) → the
 * HTML report. Rendering to SVG/PNG and reading run directories are in `@overparam/report/node`.
 */
export { lossCurvesSpec, lossCurveData, type LabelledRun, type LossPoint, type LossBand, type LossRecordKind } from './charts/loss-curves';
export { recordCurvesSpec, recordCurveData, type RecordPoint } from './charts/record-curves';
export { sweptStatisticSpec, sweptAggregates, type SweptValue, type SweptAggregate, type SweptStatisticOptions } from './charts/swept-statistic';
export { cosineDensitySpec, densitySteps, type CosineSample } from './charts/cosine-density';
export { gramSpectrumSpec, gramSpectrumData, type EigenPoint, type ConditionPoint, type SpectrumReference } from './charts/gram-spectrum';
export { weightMovementSpec, weightMovementData, allLayers, type MovementPoint } from './charts/weight-movement';
export { gramHeatmapSpec, gramCells, maxHeatmapSize, type GramCell } from './charts/gram-heatmap';
/** The runs figures draw, read and labelled by experiments' results layer (re-exported for the playground). */
export { loadRuns } from '@overparam/experiments';
export { runStatistics, type RunStatistic } from './statistics';
export { buildReport, type ReportModel, type Figure, type RunRow, type CriterionResult, type LrPickRow } from './report-model';
export { figureCatalogue, figureDefinitionOf } from './figures';
export type { FigureDefinition, FigureInput } from './figures/figure';
export { gridPointLabel } from './lr-picks';
export { presetReportContent, type PresetReportContent } from './preset-content';
export { reportHtml, escapeHtml, jsonForScript, type HtmlFigure } from './html';
export { measurementRows, measurementFigure, type MeasurementView } from './measurement';
export { isLogarithmicGrid } from './grid';
export { meanStd, geometricBand, type MeanStd } from './stats';
export { figureFont, figureSize, stepAxis, vegaLiteSchema } from './theme';
