import { architectureNames, architectureWorkload, buildModel, getArchitecture, optionsFromData, overparameterize } from '@overparam/architectures';
import { ConfigError, lossSpec, selectBackend, UnknownNameError, type BackendSelection, type Dataset, type Hook, type Loss, type Model, type TrainConfig, type Workload } from '@overparam/core';
import { loadDataSet, wrnAugment } from '@overparam/data';
import { checkMetricSpecs, metricHooks, populationActivations, type MetricSpec } from '@overparam/metrics';
import { FULL_BATCH, parseRunConfig, stepBatchSize, type RunConfig } from '../config/config';
import { lossForData } from '../config/loss';
import { checkModelDigest, readModelFiles } from '../config/model-file';
import { importedRecord, loadRunModel, type ImportedModelRecord } from './imported-model';

/** Everything a run needs, checked and built, before a single step is taken or a file written. */
export interface PreparedRun {
  readonly config: RunConfig;
  readonly backend: BackendSelection;
  readonly data: Dataset;
  readonly loss: Loss;
  /** The options the model was built from: the config's plus the data set's input and output sizes. */
  readonly modelOptions: Readonly<Record<string, unknown>>;
  /** The caller owns it and must dispose it. */
  readonly model: Model;
  readonly trainConfig: TrainConfig;
  /** The config's `metrics`, as training hooks. */
  readonly hooks: readonly Hook[];
  /** A model read from the config's `model` file: which file, its digest, and the path the import took. */
  readonly imported?: ImportedModelRecord;
}

/**
 * A metric spec with what the architecture supplies filled in: the population Gram K⁽ᴴ⁾ is defined
 * by the scaled net's recursion (its registry entry's `populationKernel`), activation, depth and c_res.
 */
export function withArchitectureSettings(spec: MetricSpec, run: { readonly config: Pick<RunConfig, 'arch'>; readonly modelOptions: Readonly<Record<string, unknown>> }): MetricSpec {
  if (spec.name !== 'population-gram') return spec;
  const { arch } = run.config;
  const defined = () => architectureNames().filter((name) => getArchitecture(name).populationKernel !== undefined);
  if (arch === undefined) throw new ConfigError('model', `population-gram is the limit kernel of Du et al.'s scaled net, not defined for an imported model`, `use --arch ${defined()[0]}`);
  const architecture = getArchitecture(arch).populationKernel;
  if (architecture === undefined) {
    throw new ConfigError('arch', `population-gram is the limit kernel of Du et al.'s scaled net (${defined().join(', ')}); it is not defined for '${arch}', use --arch ${defined()[0]}`);
  }
  const o = run.modelOptions as { activation?: unknown; depth?: unknown; cRes?: unknown };
  const activation = String(o.activation ?? 'relu');
  if (!(populationActivations as readonly string[]).includes(activation)) throw new ConfigError('archOptions.activation', `population-gram needs one of ${populationActivations.join(', ')}, got '${activation}'`);
  if (typeof o.depth !== 'number') throw new ConfigError('arch', `population-gram takes the depth H from the architecture's 'depth' option, which ${arch} does not have`);
  return { ...spec, activation: activation as (typeof populationActivations)[number], depth: o.depth, architecture, ...(typeof o.cRes === 'number' ? { cRes: o.cRes } : {}) };
}

async function activateBackend(request: string, workload: Workload, sameSettings: boolean): Promise<BackendSelection> {
  try {
    return await selectBackend(request, { workload, sameSettings });
  } catch (e) {
    // An unknown name is a mistake in the config; an unavailable backend is not, so it stays as it is.
    if (e instanceof UnknownNameError) throw new ConfigError('backend', e.message);
    throw e;
  }
}

/** Runs `fn`, naming an architecture option it rejects as the run config's `archOptions.<field>`. */
function inArchOptions<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError) throw e.renamed(`archOptions.${e.field}`);
    throw e;
  }
}

function build(config: RunConfig & { arch: string }, options: Record<string, unknown>): Model {
  // Options such as the init's `kappa` are only checked when the layers are built.
  return withFactors(inArchOptions(() => buildModel(config.arch, options, config.seed)), config);
}

function withFactors(model: Model, config: RunConfig): Model {
  return config.overparameterize === undefined || config.overparameterize.factors === 1 ? model : overparameterized(model, config.overparameterize, config.seed);
}

/** The model with its dense layers factorized (the original is disposed); an error when it has none to factorize. */
function overparameterized(model: Model, options: NonNullable<RunConfig['overparameterize']>, seed: number): Model {
  const result = overparameterize(model, { ...options, seed });
  const unchanged = result.paramCount === model.paramCount;
  const name = model.name;
  model.dispose();
  if (unchanged) {
    result.dispose();
    throw new ConfigError('overparameterize', `${name} has no trainable dense layer to replace by a product of matrices; leave overparameterize out for this architecture`);
  }
  return result;
}

/**
 * Validates the config, loads its data, activates its backend and builds its model, in that
 * order, so that whatever is wrong surfaces here and nothing later fails for a reason a config
 * check could have caught. The data (plain arrays, no tensors) comes before the backend because
 * its shape completes the model's options, and the backend fixes some settings for the model it
 * will run when it loads (`Workload`).
 */
export async function prepareRun(input: unknown, options: { replicas?: number; sameSettings?: boolean } = {}): Promise<PreparedRun> {
  const config = parseRunConfig(input);
  const data = loadDataSet(config.data, { seed: config.dataSeed, dataDir: config.dataDir, dataFile: config.dataFile, options: config.dataOptions });
  if (config.augment === 'wrn' && data.inputShape.length !== 3) {
    throw new ConfigError('augment', `'wrn' crops and flips images [height, width, channels], but '${data.name}' has examples of shape [${data.inputShape.join(', ')}]`);
  }
  const { loss, outputDim } = lossForData(lossSpec(config.loss, config.p), data);
  // Before the model exists: a metric that needs more examples than the data set has fails here.
  checkMetricSpecs(config.metrics, data);
  const batchSize = stepBatchSize(config, data.train.n);
  // Only a run that takes steps draws training batches (an evaluation at initialization and `measure` do not).
  if (config.steps > 0 && batchSize > data.train.n) {
    throw new ConfigError('batchSize', `${batchSize} exceeds the ${data.train.n} training examples of '${data.name}'; use '${FULL_BATCH}' for full-batch gradient descent`);
  }
  // Each architecture says which of its options the data set fixes (flat nets: inputDim/outputDim);
  // a model file fixes its own, and is read (and checked against its recorded digest) before the backend loads.
  const { arch } = config;
  const files = config.model === undefined ? undefined : readModelFiles(config.model);
  if (files !== undefined) checkModelDigest(files, config.modelSha256!);
  const modelOptions = arch === undefined ? {} : { ...config.archOptions, ...optionsFromData(getArchitecture(arch), { inputShape: data.inputShape, outputDim }) };
  // Before the model exists, so that a metric the network cannot have fails with nothing to free.
  const metrics = config.metrics.map((spec) => withArchitectureSettings(spec, { config, modelOptions }));
  const archWorkload = arch === undefined ? { convolutional: files!.convolutional } : inArchOptions(() => architectureWorkload(arch, modelOptions));
  const backend = await activateBackend(config.backend, { ...archWorkload, replicas: options.replicas ?? 1 }, options.sameSettings ?? false);
  let imported: ImportedModelRecord | undefined;
  let model: Model;
  if (files !== undefined) {
    const source = await loadRunModel(files, data, outputDim);
    imported = importedRecord(files, source.imported);
    model = withFactors(source, config);
  } else model = build({ ...config, arch: arch! }, modelOptions);
  const trainConfig: TrainConfig = {
    steps: config.steps,
    batchSize,
    sampling: config.sampling,
    loss,
    optimizer: config.optimizer,
    schedule: config.schedule === undefined ? { kind: 'constant', lr: config.lr } : { ...config.schedule, lr: config.lr },
    seed: config.seed,
    logEvery: config.logEvery,
    divergenceFactor: config.divergenceFactor,
    ...(config.augment === 'wrn' ? { augment: wrnAugment() } : {}),
  };
  return { config, backend, data, loss, modelOptions, model, trainConfig, hooks: metricHooks(metrics), ...(imported === undefined ? {} : { imported }) };
}
