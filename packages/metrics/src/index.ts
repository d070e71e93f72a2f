/**
 * @overparam/metrics: the gradient-Gram engine and the measurements derived from it.
 * Explicit named exports only; each metric file adds its own lines below.
 */
export { gradientGram, fastGramKinds } from './gram/engine';
export { gramMethods, gramOfs, ntkOutputModes, type GramOptions, type GramResult, type GramBatch, type GramOf, type GramMethod, type LayerGram } from './gram/types';
export { BatchNormTrainingError, GramUnsupportedError } from './gram/errors';
export type { TapHandler, TapInfo, LayerRows } from './gram/handlers';

export {
  gradientConfusion,
  gradientCosines,
  summarizeCosines,
  quantileKey,
  defaultQuantiles,
  cosineFields,
  type Confusion,
  type CosineSummary,
} from './confusion';
export { minibatchConfusion, minibatchMethods, type MinibatchConfusion, type MinibatchConfusionOptions, type MinibatchMethod } from './minibatch';
export { metricHook, metricHooks, checkMetricSpec, checkMetricSpecs } from './hooks';
export { metricDefinitions, metricDefinition, metricNeedsLoss, type MetricName } from './registry';
export {
  defineMetric,
  scheduleKeys,
  DEFAULT_GRAM_EXAMPLES,
  type MetricDefinition,
  type MetricSchema,
  type ScheduleSpec,
  type MeasureContext,
  type MetricMeasurement,
} from './metric-definition';
export { measureMetric, checkMeasurable } from './measure';
export { gramSummary } from './metrics/gram';
export { metricSpecSchema, metricListSchema, parseMetricSpecs, parseMetricFlag, parseMetricFlags, parseMetricNamesFlag, metricHookNames, type MetricSpec, type MetricSpecInput } from './metric-spec';

export { gaussianKde, kdeBandwidth, poolValues, bandwidthRules, type Kde, type KdeOptions, type BandwidthRule } from './kde';
export { histogram, binRules, type Histogram, type HistogramOptions, type BinRule } from './histogram';
export {
  spectrum,
  spectrumExtremes,
  symmetricEigenvalues,
  symmetricExtremeEigenvalues,
  paperLayerSpectra,
  type Spectrum,
  type SpectrumOptions,
  type LayerSpectrum,
  type NamedLayerSpectrum,
  type SymmetricMatrix,
} from './spectrum';
export { populationGram, populationActivations, populationArchitectures, type PopulationGram, type PopulationGramOptions, type PopulationActivation, type PopulationArchitecture } from './population-gram';
export {
  weightMovement,
  weightMovementHook,
  type WeightMovement,
  type WeightSnapshot,
  type Movement,
  type ParamMovement,
  type LayerMovement,
  type WeightMovementHookOptions,
} from './weight-movement';
export {
  balancedness,
  endToEnd,
  linearChain,
  readLinearChain,
  balancednessHook,
  NotLinearChainError,
  type Balancedness,
  type BalancednessPair,
  type EndToEnd,
  type BalancednessHookOptions,
} from './balancedness';
export { optimalLinearLoss, excessLoss, optimalLossHook, OPTIMAL_LOSS_RECORD, type OptimalLoss, type OptimalLossOptions } from './optimal-loss';
export { fullLoss, type FullLossOptions } from './metrics/full-loss';
export { dataGeometry, trainingInputs, type DataGeometry } from './metrics/data-geometry';
