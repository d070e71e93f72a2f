import { flattenTree, tf, type Rng, type Shape } from '@overparam/core';
import { importNotice, type ImportedModel, type ImportSummary } from './import-model';
import { getArchitecture, parseArchitectureOptions } from './registry';

export interface ParameterShape {
  readonly path: string;
  readonly shape: readonly number[];
  readonly size: number;
  readonly trainable: boolean;
}

export interface ArchitectureDescription {
  readonly arch: string;
  /** The display name, e.g. `WRN-28-10`. */
  readonly name: string;
  /** The validated options with every default filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly paramCount: number;
  readonly trainableParamCount: number;
  /** Every parameter in layer order, as `Model.parameters` lists them. */
  readonly parameters: readonly ParameterShape[];
}

/**
 * The parameter count of `arch` with `options` (validated here), from the sizes alone when the
 * architecture says how (`paramCount`); undefined when it does not, and only building it would tell.
 */
export function countParameters(arch: string, options: unknown): number | undefined {
  const entry = getArchitecture(arch);
  return entry.paramCount?.(parseArchitectureOptions(arch, options));
}

/**
 * An Rng that draws nothing: shapes do not depend on values, and drawing the 36 M normals of a
 * WRN-28-10 would take seconds. `normal()`/`uniform()` cycle through fixed values inside (−1, 1)
 * and (0, 1), so initializers that loop on a draw (truncated normal) or factorize one
 * (orthogonal, balanced) still terminate on well-conditioned input.
 */
function shapeOnlyRng(): Rng {
  let i = 0;
  const next = () => ((++i * 0.6180339887) % 1) * 0.98 + 0.01;
  const rng: Rng = {
    seed: 'shape-only',
    uniform: next,
    normal: () => 2 * next() - 1,
    int: (n) => Math.floor(next() * n),
    fork: () => rng,
    fillNormal: () => {},
    permutation: (n) => Int32Array.from({ length: n }, (_, k) => k),
    sampleWithoutReplacement: (_n, k) => Int32Array.from({ length: k }, (_, j) => j),
    state: () => ({ seed: 'shape-only', alea: {}, spareNormal: null }),
  };
  return rng;
}

/**
 * The name, parameter count and the shape of every parameter of an architecture, without
 * creating a model: the layer's `init` runs with a draw-nothing Rng and its tensors are disposed
 * at once. Needs an active tfjs backend (init creates tensors); cpu is enough.
 */
export function describeArchitecture(arch: string, options: unknown): ArchitectureDescription {
  const entry = getArchitecture(arch);
  const parsed = parseArchitectureOptions(arch, options);
  const { layer, inputShape } = entry.build(parsed);
  const init = layer.init(shapeOnlyRng(), inputShape);
  const frozen = new Set(init.frozen ?? []);
  const parameters = flattenTree(init.params).map(([path, t]) => ({ path, shape: [...t.shape], size: t.size, trainable: !frozen.has(path) }));
  tf.dispose([...flattenTree(init.params).map(([, t]) => t), ...flattenTree(init.state).map(([, t]) => t)]);
  return {
    arch,
    name: entry.displayName(parsed),
    options: parsed,
    inputShape,
    outputShape: init.outputShape,
    paramCount: parameters.reduce((n, p) => n + p.size, 0),
    trainableParamCount: parameters.filter((p) => p.trainable).reduce((n, p) => n + p.size, 0),
    parameters,
  };
}

/** What `describe --model` prints: the imported structure, which layers are fast, and the parameters. */
export interface ImportedDescription {
  readonly name: string;
  readonly path: ImportSummary['path'];
  /** The line a tool prints once (see `importNotice`). */
  readonly notice: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly paramCount: number;
  readonly trainableParamCount: number;
  /** Each layer of the file, and the core primitives it became (none: folded away, or the generic path). */
  readonly layers: ReadonlyArray<{ readonly name: string; readonly className: string; readonly fast: boolean; readonly primitives: readonly string[] }>;
  /** The layers that forced the generic path, and why (empty on the fast path). */
  readonly generic: ImportSummary['generic'];
  readonly droppedSoftmax: boolean;
  /** Settings tfjs applies only inside its own `fit`, which training here does not (regularizers, constraints). */
  readonly ignored: ImportSummary['ignored'];
  readonly parameters: readonly ParameterShape[];
}

/** An imported model described as `describeArchitecture` describes a built one; reads shapes only. */
export function describeImported(model: ImportedModel): ImportedDescription {
  const s = model.imported;
  const parameters = model.parameters.map((p) => ({ path: p.path, shape: [...p.shape], size: p.shape.reduce((a, b) => a * b, 1), trainable: p.trainable }));
  return {
    name: model.name,
    path: s.path,
    notice: importNotice(s),
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    paramCount: model.paramCount,
    trainableParamCount: model.trainableParamCount,
    layers: s.layers.map((l) => ({ name: l.name, className: l.className, fast: s.path === 'fast', primitives: l.paths })),
    generic: s.generic,
    droppedSoftmax: s.droppedSoftmax,
    ignored: s.ignored,
    parameters,
  };
}
