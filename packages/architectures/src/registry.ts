import { activationNames, ConfigError, createModel, initializerNames, UnknownNameError, type Layer, type Model, type Shape, type Workload } from '@overparam/core';
import { z } from 'zod';
import { deepLinearEntry } from './deep-linear-entry';
import { duMlpEntry, duResNetEntry } from './du-entries';
import { mlp, mlpName } from './mlp';
import { mnistConvnetEntry } from './mnist-convnet';
import { cnnEntry, wrnEntry } from './wide-resnet-entry';
import { depthOption } from './limits';

/** What every registered architecture provides: a name, an option schema and a builder. */
export interface ArchitectureEntry<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  /** Validates (and fills defaults of) the options a user gives. */
  readonly schema: z.ZodType<Options>;
  /** A display name such as `MLP-3-100`. */
  displayName(options: Options): string;
  build(options: Options): { readonly layer: Layer; readonly inputShape: Shape };
  /**
   * The options a data set of this shape fixes (and the user may not set in a run config).
   * Absent: `{ inputDim: ∏ inputShape, outputDim }`, which suits flat-input nets such as `mlp`.
   */
  fromData?(data: DataShape): Record<string, unknown>;
  /** The data shape assumed where none is given (`overparam describe`); absent: 784 inputs, 10 outputs (MNIST). */
  readonly defaultData?: DataShape;
  /**
   * A complete, small option set (data-derived options included) for `buildModel`: the
   * conformance suite builds it on every backend, so keep it to a few hundred parameters.
   */
  readonly tiny?: Readonly<Record<string, unknown>>;
  /**
   * What a backend may want to know of this net before it loads (convolutions, its widest dense
   * layer), from validated options. Absent: a dense net of unknown width.
   */
  workload?(options: Options): ArchitectureWorkload;
  /**
   * Which of Du et al.'s (2019) infinite-width recursions gives this net's population Gram K⁽ᴴ⁾
   * (its activation, depth and c_res are read from its options); absent: K⁽ᴴ⁾ is not defined for it.
   */
  readonly populationKernel?: 'fully-connected' | 'resnet';
}

/** The part of a backend's `Workload` an architecture knows. */
export type ArchitectureWorkload = Pick<Workload, 'convolutional' | 'width'>;

/** What an architecture learns from a data set: its input shape and its number of outputs. */
export interface DataShape {
  readonly inputShape: Shape;
  readonly outputDim: number;
}

const MNIST_SHAPE: DataShape = { inputShape: [784], outputDim: 10 };

/** The options `entry` takes from a data set of shape `data` (see `ArchitectureEntry.fromData`). */
export function optionsFromData(entry: Pick<ArchitectureEntry<never>, 'fromData'>, data: DataShape): Record<string, unknown> {
  if (entry.fromData !== undefined) return entry.fromData(data);
  return { inputDim: data.inputShape.reduce((a, b) => a * b, 1), outputDim: data.outputDim };
}

/** The data shape `entry` assumes where none is given. */
export function defaultDataShape(entry: Pick<ArchitectureEntry<never>, 'defaultData'>): DataShape {
  return entry.defaultData ?? MNIST_SHAPE;
}

const positiveInt = z.number().int().min(1);
const initSpec = z.union([z.enum(initializerNames as [string, ...string[]]), z.looseObject({ name: z.enum(initializerNames as [string, ...string[]]) })]);

const mlpSchema = z.strictObject({
  depth: depthOption('β, the number of hidden layers'),
  width: positiveInt.describe('ℓ, the width of every hidden layer'),
  inputDim: positiveInt.describe('d, the input dimension'),
  outputDim: positiveInt.describe('the number of outputs (classes)'),
  activation: z.enum(activationNames as [string, ...string[]]).default('tanh'),
  init: initSpec.default('glorot-normal'),
  bias: z.boolean().default(true),
});

const mlpEntry: ArchitectureEntry<z.infer<typeof mlpSchema>> = {
  name: 'mlp',
  description: 'MLP-β-ℓ (Sankararaman et al. (2020), appendix A.1): β hidden layers of width ℓ, biases initialized to 0',
  schema: mlpSchema,
  displayName: mlpName,
  build: (o) => ({ layer: mlp(o as Parameters<typeof mlp>[0]), inputShape: [o.inputDim] }),
  workload: (o) => ({ convolutional: false, width: o.width }),
  tiny: { depth: 2, width: 5, inputDim: 4, outputDim: 3 },
};

const registry = new Map<string, ArchitectureEntry<never>>();

/** Adds an architecture; later registrations under the same name replace earlier ones. */
export function registerArchitecture<O>(entry: ArchitectureEntry<O>): void {
  registry.set(entry.name, entry as unknown as ArchitectureEntry<never>);
}

export function architectureNames(): string[] {
  return [...registry.keys()];
}

export function getArchitecture(name: string): ArchitectureEntry<Record<string, unknown>> {
  const entry = registry.get(name);
  if (entry === undefined) throw new UnknownNameError('ARCH_UNKNOWN', 'architecture', name, architectureNames());
  return entry as unknown as ArchitectureEntry<Record<string, unknown>>;
}

/** Validates `options` against the architecture's schema; the error names the offending field. */
export function parseArchitectureOptions(name: string, options: unknown): Record<string, unknown> {
  const result = getArchitecture(name).schema.safeParse(options);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(issue.path.length > 0 ? issue.path.join('.') : name, issue.message);
  }
  return result.data;
}

/**
 * What the net `name` with `options` (data-derived ones included) is, for a backend choosing its
 * settings before it loads; the options are validated first, so a bad one fails here, named.
 */
export function architectureWorkload(name: string, options: unknown): ArchitectureWorkload {
  const entry = getArchitecture(name);
  return entry.workload?.(parseArchitectureOptions(name, options)) ?? { convolutional: false };
}

/** Validates options, builds the layer and initializes a model from `seed`. */
export function buildModel(name: string, options: unknown, seed: number | string = 0): Model {
  const entry = getArchitecture(name);
  const parsed = parseArchitectureOptions(name, options);
  const { layer, inputShape } = entry.build(parsed);
  return createModel(layer, { inputShape, seed, name: entry.displayName(parsed) });
}

registerArchitecture(mlpEntry);
registerArchitecture(deepLinearEntry);
registerArchitecture(duMlpEntry);
registerArchitecture(duResNetEntry);
registerArchitecture(wrnEntry);
registerArchitecture(cnnEntry);
registerArchitecture(mnistConvnetEntry);
