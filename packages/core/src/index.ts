export { tf } from './tf';
export type { Tensor, Variable, Rank } from './tf';

export {
  OverparamError,
  ConfigError,
  UnknownNameError,
  BackendUnavailableError,
  ShapeError,
  isOverparamError,
  type ErrorCode,
} from './errors';
export { readValue, parseKeyValues, type KeyValueOptions } from './key-value';

export { createRng, restoreRng, type Rng, type RngState } from './rng';

export type { BackendPlugin, BackendSelection, BackendSettings, BackendStatus, BackendTraits, Platform, Workload } from './backend/types';
export { defaultBackendTraits, defaultWorkload } from './backend/types';
export { type SelectBackendOptions, BACKEND_SETTINGS, registerBackend, registeredBackends, selectBackend, backendStatuses, activeBackendName, activeBackendTraits, plannedBackendTraits, currentPlatform } from './backend/registry';

export type { Layer, LayerInit, ApplyContext, TapEvent, TapRecorder, TensorTree, Shape } from './layers/types';
export { childContext, childParams, flattenTree, mapTree, joinPath, isTensorLike } from './layers/context';
export { dense, type DenseOptions } from './layers/dense';
export { activation, activationFn, activationNames, type ActivationName } from './layers/activation';
export { serial } from './layers/serial';
export { matMulForTraining } from './layers/matmul';
export { conv2d, type Conv2dOptions } from './layers/conv2d';
export { conv2dForTraining } from './layers/conv-op';
export { axisGeometry, type ConvPadding, type AxisGeometry } from './layers/conv-geometry';
export { batchNorm, type BatchNormOptions } from './layers/batch-norm';
export { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from './layers/batch-norm-kernel';
export { globalAvgPool, maxPool2d, type MaxPool2dOptions } from './layers/pooling';
export { flatten } from './layers/flatten';
export { reshape } from './layers/reshape';
export { dropout } from './layers/dropout';
export { residual } from './layers/residual';
export { graph, GRAPH_INPUT, type GraphNode, type GraphMerge } from './layers/graph';
export { kerasActivation, kerasActivationNames, type KerasActivationName } from './layers/keras-activations';
export { softmax } from './layers/softmax';
export { avgPool2d, type AvgPool2dOptions } from './layers/avg-pool';
export { zeroPad2d } from './layers/zero-pad';
export { createModel, variableAccess, type VariableAccess, type Model, type ModelApplyOptions, type ParamInfo, type CreateModelOptions } from './layers/model';

export { resolveInitializer, initializerNames, type Initializer, type InitSpec, type InitContext } from './init';
export { resolveLoss, computeLoss, lossNames, lpLoss, lossSpec, lossLabel, replicaMeanLosses, type Loss, type LossName, type LossSpec, type Reduction } from './losses';
export { sgd, createOptimizer, optimizerNames, type Optimizer, type OptimizerSpec } from './optim/optimizer';
export { endToEnd, endToEndDirection, endToEndDirectionSingleOutput, type EndToEndOptions } from './optim/end-to-end';
export { ADADELTA_DEFAULTS } from './optim/adadelta';
export { learningRateAt, validateSchedule, type LrSchedule } from './optim/schedule';

export { gatherBatch, type Dataset, type Split, type Batch, type BatchPart, type BatchTransform } from './data/dataset';
export { BatchSampler, type Sampling, type BatchDraw, type SamplerState } from './data/sampler';

export { train } from './train/loop';
export { DEFAULT_READ_LOSS_EVERY } from './train/run-state';
export { trainReplicas, type ReplicaRun } from './train/replicas';
export { replicate, type ReplicatedModel, type ReplicatedApplyOptions } from './layers/replicated';
export { createReplicatedOptimizer, type ReplicatedOptimizer } from './optim/replicated';
export { yieldToEventLoop } from './yield';
export type { TrainCheckpoint, CheckpointPolicy } from './train/checkpoint';
export { DEFAULT_DIVERGENCE_FACTOR, divergenceOf, END_HOOKS_SKIPPED, type Divergence } from './train/divergence';
export { toNamedArray, type NamedArray } from './named-array';
export { evaluate, type Evaluation } from './train/evaluate';
export { MemorySink } from './train/sinks';
export type {
  TrainConfig,
  TrainCallbacks,
  TrainResult,
  TrainProgress,
  Hook,
  HookContext,
  HookSchedule,
  RecordSink,
  RunRecord,
} from './train/types';

export { gaussHermite, gaussianExpectation, gaussianExpectation2d, type QuadratureRule, type Covariance2 } from './math/gauss-hermite';
