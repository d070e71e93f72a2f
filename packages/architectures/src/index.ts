export { mlp, mlpName, type MlpOptions } from './mlp';
export {
  registerArchitecture,
  architectureNames,
  getArchitecture,
  parseArchitectureOptions,
  buildModel,
  type ArchitectureEntry,
} from './registry';
