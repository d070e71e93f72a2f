export { tolerancesFor, type Tolerances } from './tolerances';
export { finiteDifferenceGradient, maxRelativeError } from './gradcheck';
export { referenceForward, referenceLoss, type ReferenceLayer, type ReferenceActivation, type ReferenceLoss } from './reference-mlp';
export { tensorGrowth } from './leaks';
