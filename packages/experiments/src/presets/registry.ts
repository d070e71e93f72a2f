import { OverparamError, UnknownNameError } from '@overparam/core';
import { setAtPath } from '../config/dotted-path';
import { parseSweep, type SweepSpec } from '../sweep/sweep';
import { linearRegressionPreset } from './c1-linear-regression';
import { mlpDepthPreset } from './c2-mlp-depth';
import { mlpWidthPreset } from './c3-mlp-width';
import { cnnWrnDepthWidthPreset } from './c4-cnn-wrn-depth-width';
import { bnSkipPreset } from './c5-bn-skip';
import { orthogonalDeepLinearPreset } from './c6-orthogonal-deep-linear';
import { nearOrthogonalityPreset } from './c7-near-orthogonality';
import { endToEndEquivalencePreset } from './c8-end-to-end-equivalence';
import { depthAccelerationPreset } from './c9-depth-acceleration';
import { vsAdaptiveOptimizersPreset } from './c10-vs-adaptive-optimizers';
import { nearIdentityInitPreset } from './c11-near-identity-init';
import { overparameterizedConvnetPreset } from './fig5-overparameterized-convnet';
import { duGlobalMinimaPreset } from './c12-du-global-minima';
import { duResNetDepthPreset } from './c13-du-resnet-depth';
import type { Preset, PresetScale } from './preset';

/**
 * Every preset, in the order `overparam reproduce --list` shows them: Sankararaman et al.'s claims
 * (C1–C7), Arora et al.'s (C8–C11 and fig. 5), Du et al.'s (C12–C13). A new preset is one file and one
 * line here.
 */
export const presets: readonly Preset[] = [
  linearRegressionPreset,
  mlpDepthPreset,
  mlpWidthPreset,
  cnnWrnDepthWidthPreset,
  bnSkipPreset,
  orthogonalDeepLinearPreset,
  nearOrthogonalityPreset,
  endToEndEquivalencePreset,
  depthAccelerationPreset,
  vsAdaptiveOptimizersPreset,
  nearIdentityInitPreset,
  overparameterizedConvnetPreset,
  duGlobalMinimaPreset,
  duResNetDepthPreset,
];

export const presetIds: readonly string[] = presets.map((p) => p.id);

export function getPreset(id: string): Preset {
  const preset = presets.find((p) => p.id === id);
  if (preset === undefined) throw new UnknownNameError('PRESET_UNKNOWN', 'preset', id, presetIds);
  return preset;
}

/** A change to every sweep's base config by dotted path (`backend` = `wasm`); the grid still sets its own keys. */
export interface PresetOverride {
  readonly path: string;
  readonly value: unknown;
}

/** The sweep key → validated sweep spec of one scale, each named `<preset id>-<key>`. */
export function presetSweeps(preset: Preset, scale: PresetScale, overrides: readonly PresetOverride[] = []): Array<{ key: string; spec: SweepSpec }> {
  return Object.entries(preset.scales[scale].sweeps).map(([key, sweep]) => {
    try {
      let base: Record<string, unknown> = { ...sweep.base };
      for (const { path, value } of overrides) base = setAtPath(base, path, value);
      return { key, spec: parseSweep({ ...sweep, base, name: `${preset.id}-${key}` }) };
    } catch (e) {
      throw new OverparamError('SWEEP_INVALID', `preset ${preset.id}, scale ${scale}, sweep ${key}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  });
}
