export { mlp, mlpName, type MlpOptions } from './mlp';
export { wideResNet, wideResNetName, wideResNetDepthProblem, type WideResNetOptions } from './wide-resnet';
export { wrnEntry, cnnEntry } from './wide-resnet-entry';
export { mnistConvnet, mnistConvnetName, mnistConvnetEntry, type MnistConvnetOptions } from './mnist-convnet';
export {
  registerArchitecture,
  architectureNames,
  getArchitecture,
  parseArchitectureOptions,
  buildModel,
  architectureWorkload,
} from './registry';
export { optionsFromData, defaultDataShape, type ArchitectureEntry, type ArchitectureWorkload, type DataShape } from './architecture-entry';
export {
  deepLinear,
  deepLinearDims,
  deepLinearName,
  deepLinearScale,
  endToEndMatrix,
  type DeepLinearOptions,
  type DeepLinearLayerInfo,
} from './deep-linear';
export { deepLinearWeights, matrixProduct, deepLinearInitNames, type DeepLinearInit, type DeepLinearInitOptions } from './deep-linear-init';
export { duMlp, duResNet, duMlpName, duResNetName, type DuNetOptions, type DuResNetOptions } from './du-nets';
export { cSigma } from './c-sigma';
export { constantScale } from './scale';
export { DEFAULT_FACTOR_INIT, factorInitNames, overparameterize, overparameterizeLayer, type FactorInit, type OverparameterizeOptions } from './overparameterize';
export { describeArchitecture, describeImported, countParameters, type ArchitectureDescription, type ImportedDescription, type ParameterShape } from './describe';
export { imageShape } from './image-shape';
export { importLayersModel, importNotice, type ImportOptions, type ImportSummary, type ImportedModel, type ImportOrigin, type OriginWeight } from './import-model';
export { ModelExportError, ModelImportError } from './import-errors';
export { supportedClassNames } from './import-layers';
export { hasConvolution, isConvolutionClass } from './convolution-classes';
export type { GenericReason } from './import-graph';
export { importedArchitecture } from './imported-entry';
export { shapeMisfit, type FitData, type ShapeMisfit } from './shape-fit';
export { loadImported, loadModelUrl } from './load-model';
export { modelFiles, outlineModelJson, readLayersModel, type ModelFiles, type ModelJsonOutline, type ReadBytes } from './model-files';
export { MAX_DEPTH } from './limits';
