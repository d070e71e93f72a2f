export { assembleMnist, loadMnist, mnistPackageAvailable, provideMnistDigits } from './mnist';
export {
  teacherClassification,
  teacherClassificationWithTeacher,
  gaussianRegression,
  gaussianRegressionWithTeacher,
  type TeacherClassificationOptions,
  type GaussianRegressionOptions,
  type LinearTeacher,
} from './synthetic';
export { sphereData, sphereDataWithTeacher, spherePoints, type SphereOptions, type SphereTeacher } from './sphere';
export { lpRegression, lpRegressionWithTeacher, type LpRegressionOptions, type LpRegressionTeacher } from './lp-regression';
export { syntheticImages, type SyntheticImagesOptions } from './synthetic-images';
export { stratifiedSplitPlan, balancedPartition, balancedSubset, selectExamples, type SplitPlan } from './split';
export { DataCorruptError, DataUnavailableError, type FileLocation } from './errors';
export { parseIdx, readIdxFile, encodeIdx, maybeGunzip, type IdxArray, type IdxType, type IdxExpectation } from './idx';
export { parseCifarBatch, readCifarBatch, copyCifarImage, encodeCifarRecord, cifarRecordSize, cifarClasses, type CifarBatch, type CifarVariant } from './cifar';
export { parseGasSensorBatch, loadGasSensor, locateGasSensor, gasNames, GAS_SENSOR_FEATURES, type GasName, type GasSensorOptions, type GasSensorRecords } from './gas-sensor';
export { parseCsvRegression, readCsvRegression, type CsvRegressionOptions, type CsvRegressionTable } from './csv';
export { loadIdxSet, locateIdxSet, DEBIAN_FASHION_MNIST_DIR, type IdxSetName } from './idx-sets';
export { loadCifar, locateCifar, type CifarOptions } from './cifar-sets';
export { type SplitSpec } from './assemble';
export { channelStats, standardizeChannels, standardizeChannelsInPlace, flattenInputs, oneHot, type ChannelStats } from './preprocess';
export { wrnAugment, type WrnAugmentOptions } from './augment';
export {
  dataSets,
  dataSetNames,
  getDataSet,
  dataSetTask,
  loadDataSet,
  parseDataOptions,
  dataSetAvailability,
  type DataSetEntry,
  type DataSetSource,
  type DataSetLoadOptions,
} from './registry';
