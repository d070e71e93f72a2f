export { runConfigSchema, parseRunConfig, type RunConfig, type RunConfigInput } from './config';
export { lossForData } from './loss';
export { prepareRun, type PreparedRun } from './prepare';
export { trainAndEvaluate, type RunSummary, type ExecuteOptions } from './execute';
export { runInMemory, type InMemoryRun } from './memory';
