import { activationNames, initializerNames } from '@overparam/core';
import { z } from 'zod';
import type { ArchitectureEntry } from './architecture-entry';
import { depthOption } from './limits';
import { mlp, mlpName } from './mlp';
import { denseChainParams } from './param-count';

const positiveInt = z.number().int().min(1);
const initSpec = z.union([z.enum(initializerNames as [string, ...string[]]), z.looseObject({ name: z.enum(initializerNames as [string, ...string[]]) })]);

const mlpSchema = z.strictObject({
  depth: depthOption('β, the number of hidden layers'),
  width: positiveInt.describe('ℓ, the width of every hidden layer'),
  inputDim: positiveInt.describe('d, the input dimension'),
  outputDim: positiveInt.describe('the number of outputs (classes)'),
  activation: z.enum(activationNames as [string, ...string[]]).default('tanh').describe('nonlinearity after each hidden layer'),
  init: initSpec.default('glorot-normal').describe('weight initializer'),
  bias: z.boolean().default(true).describe('biases in every layer'),
});

export const mlpEntry: ArchitectureEntry<z.infer<typeof mlpSchema>> = {
  name: 'mlp',
  description: 'MLP-β-ℓ (Sankararaman et al. (2020), appendix A.1): β hidden layers of width ℓ, biases initialized to 0',
  schema: mlpSchema,
  displayName: mlpName,
  build: (o) => ({ layer: mlp(o as Parameters<typeof mlp>[0]), inputShape: [o.inputDim] }),
  workload: (o) => ({ convolutional: false, width: o.width }),
  paramCount: (o) => denseChainParams([o.inputDim, ...new Array<number>(o.depth).fill(o.width), o.outputDim], o.bias),
  tiny: { depth: 2, width: 5, inputDim: 4, outputDim: 3 },
};
