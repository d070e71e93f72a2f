export { loadMnist } from './mnist';
export {
  teacherClassification,
  teacherClassificationWithTeacher,
  gaussianRegression,
  gaussianRegressionWithTeacher,
  type TeacherClassificationOptions,
  type GaussianRegressionOptions,
  type LinearTeacher,
} from './synthetic';
export { stratifiedSplitPlan, type SplitPlan } from './split';
export { dataSets, dataSetNames, loadDataSet, type DataSetEntry, type DataSetLoadOptions } from './registry';
