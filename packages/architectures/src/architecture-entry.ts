import type { Layer, Shape, Workload } from '@overparam/core';
import type { z } from 'zod';

/**
 * What every registered architecture provides: a name, an option schema and a builder. Entries
 * import this file and the registry imports the entries (through `builtins.ts`), so the contract
 * sits apart from both and nothing imports back up.
 */
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
   * The number of parameters (frozen ones included) from validated options alone, without
   * drawing a weight: lets `describe` and a run refuse a net too large to hold before allocating it.
   */
  paramCount?(options: Options): number;
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
