import { activationNames, type ActivationName } from '@overparam/core';
import { z } from 'zod';
import { duMlp, duMlpName, duResNet, duResNetName } from './du-nets';
import type { ArchitectureEntry } from './architecture-entry';
import { depthOption } from './limits';
import { denseChainParams } from './param-count';

/** H weight matrices of width m, then the frozen output layer; no biases (both nets). */
const duParams = (o: { depth: number; width: number; inputDim: number; outputDim: number }) => denseChainParams([o.inputDim, ...new Array<number>(o.depth).fill(o.width), o.outputDim], false);

const positiveInt = z.number().int().min(1);

const duFields = {
  depth: depthOption('H, the number of hidden layers'),
  width: positiveInt.describe('m, the width of every hidden layer'),
  inputDim: positiveInt.describe('d, the input dimension'),
  outputDim: positiveInt.default(1).describe('outputs of the frozen layer a'),
  activation: z.enum(activationNames as [ActivationName, ...ActivationName[]]).default('softplus').describe('σ; c_σ = 1/E[σ(z)²] is computed for it'),
};

const duMlpSchema = z.strictObject(duFields);
const duResNetSchema = z.strictObject({ ...duFields, cRes: z.number().positive().default(1).describe('c_res of the residual branches') });

export const duMlpEntry: ArchitectureEntry<z.infer<typeof duMlpSchema>> = {
  name: 'du-mlp',
  description: 'Du et al. fully connected net x⁽ʰ⁾ = √(c_σ/m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾), N(0, 1) weights, frozen output a (Du et al. (2019))',
  schema: duMlpSchema,
  displayName: duMlpName,
  build: (o) => ({ layer: duMlp(o), inputShape: [o.inputDim] }),
  workload: (o) => ({ convolutional: false, width: o.width }),
  paramCount: duParams,
  tiny: { depth: 2, width: 6, inputDim: 4, outputDim: 2 },
  populationKernel: 'fully-connected',
};

export const duResNetEntry: ArchitectureEntry<z.infer<typeof duResNetSchema>> = {
  name: 'du-resnet',
  description: 'Du et al. ResNet x⁽ʰ⁾ = x⁽ʰ⁻¹⁾ + c_res/(H√m)·σ(W⁽ʰ⁾x⁽ʰ⁻¹⁾) after a scaled first layer, frozen output a (Du et al. (2019), §3.1)',
  schema: duResNetSchema,
  displayName: duResNetName,
  build: (o) => ({ layer: duResNet(o), inputShape: [o.inputDim] }),
  workload: (o) => ({ convolutional: false, width: o.width }),
  paramCount: duParams,
  tiny: { depth: 3, width: 6, inputDim: 4, outputDim: 2 },
  populationKernel: 'resnet',
};
