import { activationNames, ConfigError, createModel, initializerNames, UnknownNameError, type Layer, type Model, type Shape } from '@overparam/core';
import { z } from 'zod';
import { mlp, mlpName } from './mlp';

/** What every registered architecture provides: a name, an option schema and a builder. */
export interface ArchitectureEntry<Options = Record<string, unknown>> {
  readonly name: string;
  readonly description: string;
  /** Validates (and fills defaults of) the options a user gives. */
  readonly schema: z.ZodType<Options>;
  /** A display name such as `MLP-3-100`. */
  displayName(options: Options): string;
  build(options: Options): { readonly layer: Layer; readonly inputShape: Shape };
}

const positiveInt = z.number().int().min(1);
const initSpec = z.union([z.enum(initializerNames as [string, ...string[]]), z.looseObject({ name: z.enum(initializerNames as [string, ...string[]]) })]);

const mlpSchema = z.strictObject({
  depth: positiveInt.describe('β, the number of hidden layers'),
  width: positiveInt.describe('ℓ, the width of every hidden layer'),
  inputDim: positiveInt.describe('d, the input dimension'),
  outputDim: positiveInt.describe('the number of outputs (classes)'),
  activation: z.enum(activationNames as [string, ...string[]]).default('tanh'),
  init: initSpec.default('glorot-normal'),
  bias: z.boolean().default(true),
});

const mlpEntry: ArchitectureEntry<z.infer<typeof mlpSchema>> = {
  name: 'mlp',
  description: 'MLP-β-ℓ (seed 001, A.1): β hidden layers of width ℓ, biases initialized to 0',
  schema: mlpSchema,
  displayName: mlpName,
  build: (o) => ({ layer: mlp(o as Parameters<typeof mlp>[0]), inputShape: [o.inputDim] }),
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

/** Validates options, builds the layer and initializes a model from `seed`. */
export function buildModel(name: string, options: unknown, seed: number | string = 0): Model {
  const entry = getArchitecture(name);
  const parsed = parseArchitectureOptions(name, options);
  const { layer, inputShape } = entry.build(parsed);
  return createModel(layer, { inputShape, seed, name: entry.displayName(parsed) });
}

registerArchitecture(mlpEntry);
