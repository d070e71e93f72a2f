/**
 * One rule per Keras / TF.js Layers class: its config and input shape → core primitives, and
 * which of the layer's weights each primitive's parameters and state take. A class or setting
 * without a rule throws `UnsupportedLayer` with the reason, and the importer falls back to the
 * generic path for the whole model.
 */
import {
  activation,
  avgPool2d,
  batchNorm,
  conv2d,
  dense,
  dropout,
  flatten,
  globalAvgPool,
  kerasActivation,
  kerasActivationNames,
  maxPool2d,
  reshape,
  softmax,
  zeroPad2d,
  type Layer,
  type Shape,
} from '@overparam/core';
import { UnsupportedLayer } from './import-errors';

/** A core primitive and the Keras weight names (the part after the last `/`) its parameters and state come from. */
export interface Piece {
  readonly layer: Layer;
  readonly params?: Readonly<Record<string, string>>;
  readonly state?: Readonly<Record<string, string>>;
}

export interface LayerSpec {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  readonly inputShape: Shape;
  /** Whether this layer computes the model's output (a softmax is allowed only there). */
  readonly isOutput: boolean;
  /** Keep a final softmax as a layer (true) or drop it so the model outputs logits (false). */
  readonly keepSoftmax: boolean;
}

type Rule = (spec: LayerSpec) => Piece[];

const coreActivations = new Set(['relu', 'tanh', 'sigmoid', 'softplus']);
/** Config keys (by suffix) that tfjs applies only inside its own `fit`. */
const settingsKeys = ['regularizer', 'constraint'];

/** Fails on a config value other than the one the core primitive implements. */
function requireValue(spec: LayerSpec, key: string, allowed: readonly unknown[]): void {
  const value = spec.config[key];
  if (value === undefined || allowed.some((a) => JSON.stringify(a) === JSON.stringify(value))) return;
  throw new UnsupportedLayer(`${key} ${JSON.stringify(value)} (supported: ${allowed.map((a) => JSON.stringify(a)).join(', ')})`);
}

/** A [n, n] pair (or a number) as one n, or unsupported. */
function square(spec: LayerSpec, key: string, fallback?: number): number {
  const v = spec.config[key] ?? fallback;
  const pair = typeof v === 'number' ? [v, v] : (v as number[] | undefined);
  if (!Array.isArray(pair) || pair.length !== 2 || pair[0] !== pair[1] || !Number.isInteger(pair[0])) {
    throw new UnsupportedLayer(`${key} ${JSON.stringify(v)}: only square ${key} have a core primitive`);
  }
  return pair[0]!;
}

function padding(spec: LayerSpec): 'same' | 'valid' {
  requireValue(spec, 'padding', ['same', 'valid']);
  return (spec.config.padding as 'same' | 'valid' | undefined) ?? 'valid';
}

/** The activation named by a layer config (`linear` adds nothing). */
export function activationPieces(name: string, spec: LayerSpec): Piece[] {
  if (name === 'linear') return [];
  if (coreActivations.has(name)) return [{ layer: activation(name) }];
  if ((kerasActivationNames as string[]).includes(name)) return [{ layer: kerasActivation(name) }];
  if (name === 'softmax') {
    if (!spec.isOutput) throw new UnsupportedLayer('softmax before the last layer');
    return spec.keepSoftmax ? [{ layer: softmax() }] : [];
  }
  throw new UnsupportedLayer(`activation '${name}'`);
}

function withActivation(spec: LayerSpec, pieces: Piece[]): Piece[] {
  return [...pieces, ...activationPieces(String(spec.config.activation ?? 'linear'), spec)];
}

const rules: Record<string, Rule> = {
  Dense(spec) {
    if (spec.inputShape.length !== 1) throw new UnsupportedLayer(`Dense on inputs of shape [${spec.inputShape.join(', ')}]: core's dense takes flat inputs`);
    const bias = spec.config.useBias !== false;
    return withActivation(spec, [{ layer: dense({ units: Number(spec.config.units), bias, frozen: spec.config.trainable === false }), params: bias ? { w: 'kernel', b: 'bias' } : { w: 'kernel' } }]);
  },
  Conv2D(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast']);
    const kernelSize = square(spec, 'kernelSize');
    const stride = square(spec, 'strides', 1);
    if (square(spec, 'dilationRate', 1) !== 1) throw new UnsupportedLayer('dilationRate other than 1');
    const bias = spec.config.useBias !== false;
    const layer = conv2d({ filters: Number(spec.config.filters), kernelSize, stride, padding: padding(spec), bias, frozen: spec.config.trainable === false });
    return withActivation(spec, [{ layer, params: bias ? { w: 'kernel', b: 'bias' } : { w: 'kernel' } }]);
  },
  BatchNormalization(spec) {
    requireValue(spec, 'axis', [-1, spec.inputShape.length]);
    requireValue(spec, 'center', [true]);
    requireValue(spec, 'scale', [true]);
    requireValue(spec, 'trainable', [true]);
    const layer = batchNorm({ momentum: Number(spec.config.momentum ?? 0.99), epsilon: Number(spec.config.epsilon ?? 1e-3) });
    return [{ layer, params: { gamma: 'gamma', beta: 'beta' }, state: { mean: 'moving_mean', variance: 'moving_variance' } }];
  },
  Activation: (spec) => withActivation(spec, []),
  ReLU(spec) {
    requireValue(spec, 'maxValue', [null]);
    requireValue(spec, 'negativeSlope', [0]);
    requireValue(spec, 'threshold', [0]);
    return [{ layer: activation('relu') }];
  },
  ELU(spec) {
    requireValue(spec, 'alpha', [1]);
    return [{ layer: kerasActivation('elu') }];
  },
  Softmax(spec) {
    requireValue(spec, 'axis', [-1, spec.inputShape.length]);
    return activationPieces('softmax', spec);
  },
  Flatten(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast', null]);
    return [{ layer: flatten() }];
  },
  Reshape(spec) {
    const target = (spec.config.targetShape as number[]).slice();
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const size = spec.inputShape.reduce((a, b) => a * b, 1);
    return [{ layer: reshape(target.map((d) => (d === -1 ? size / known : d))) }];
  },
  Dropout(spec) {
    requireValue(spec, 'noiseShape', [null]);
    return [{ layer: dropout(Number(spec.config.rate ?? 0)) }];
  },
  MaxPooling2D(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast']);
    const size = square(spec, 'poolSize', 2);
    return [{ layer: maxPool2d({ size, stride: square(spec, 'strides', size), padding: padding(spec) }) }];
  },
  AveragePooling2D(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast']);
    const size = square(spec, 'poolSize', 2);
    return [{ layer: avgPool2d({ size, stride: square(spec, 'strides', size), padding: padding(spec) }) }];
  },
  GlobalAveragePooling2D(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast']);
    return [{ layer: globalAvgPool() }];
  },
  ZeroPadding2D(spec) {
    requireValue(spec, 'dataFormat', ['channelsLast']);
    const p = spec.config.padding as [[number, number], [number, number]];
    return [{ layer: zeroPad2d(p) }];
  },
};

/** Merge layers: combined by the graph (or a residual), not by a primitive. */
export const mergeClasses: Readonly<Record<string, 'add' | 'concat'>> = { Add: 'add', Concatenate: 'concat' };

/** Every class name the importer maps to core primitives, for the docs and `describe`. */
export const supportedClassNames = ['InputLayer', ...Object.keys(rules), ...Object.keys(mergeClasses)];

/**
 * Settings imported as they are but not applied: regularizer penalties and weight constraints
 * act inside tfjs's own `fit`, which overparam's training loop does not call.
 */
export function ignoredSettings(config: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(config)
    .filter(([key, value]) => value !== null && value !== undefined && settingsKeys.some((s) => key.toLowerCase().endsWith(s)))
    .map(([key]) => key);
}

/** The core pieces for one non-merge layer; throws `UnsupportedLayer` when there are none. */
export function piecesFor(spec: LayerSpec): Piece[] {
  const rule = rules[spec.className];
  if (rule === undefined) throw new UnsupportedLayer(`class ${spec.className} has no core primitive`);
  return rule(spec);
}
