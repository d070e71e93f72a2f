export { tolerancesFor, type Tolerances } from './tolerances';
export { finiteDifferenceGradient, maxRelativeError } from './gradcheck';
export { referenceForward, referenceLoss, type ReferenceLayer, type ReferenceActivation, type ReferenceLoss } from './reference-mlp';
export { tensorGrowth } from './leaks';
export { modelGradientCheck, randomBatch, type ModelGradientCheck, type ModelGradientCheckOptions, type CoordinateCheck } from './model-gradcheck';
export {
  outputReport,
  parameterCountReport,
  tapCoverage,
  determinismReport,
  trainingDeterminism,
  trainingTensorGrowth,
  randomDataset,
  type ModelFactory,
} from './conformance';
export { batchCouplingReport, runningStatisticsReport, type BatchCouplingReport, type RunningStatisticsReport } from './conformance-state';
export { describeArchitectureConformance, type ConformanceOptions } from './describe-conformance';
export { referenceConv2d, referenceConvOutputShape, referenceBatchNorm, referenceMaxPool2d, type ReferenceConvSpec, type ReferenceBatchNorm, type ReferencePoolSpec } from './reference-conv';
