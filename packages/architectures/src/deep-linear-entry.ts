import { z } from 'zod';
import { deepLinear, deepLinearDims, deepLinearName, type DeepLinearOptions } from './deep-linear';
import { denseChainParams } from './param-count';
import { deepLinearInitNames } from './deep-linear-init';
import type { ArchitectureEntry } from './architecture-entry';
import { depthOption } from './limits';

const positiveInt = z.number().int().min(1);

const deepLinearSchema = z
  .strictObject({
    depth: depthOption('N, the number of weight matrices'),
    inputDim: positiveInt.describe('d, the input dimension'),
    outputDim: positiveInt.describe('k, the output dimension'),
    width: positiveInt.optional().describe('every hidden width (default: min(inputDim, outputDim))'),
    hiddenWidths: z.array(positiveInt).optional().describe('the N − 1 hidden widths, instead of width'),
    scale: z.union([z.number().positive(), z.literal('theorem-6.1')]).default(1).describe("γ, or 'theorem-6.1' for 1/√(2N)"),
    init: z.enum(deepLinearInitNames).default('near-zero').describe('initialization'),
    initStd: z.number().positive().default(0.01).describe('std of near-zero, of the near-identity noise, of the balanced end-to-end draw'),
    kappa: z.number().positive().default(1).describe('κ of strategy-4.1'),
  })
  .superRefine((o, ctx) => {
    if (o.width !== undefined && o.hiddenWidths !== undefined) ctx.addIssue({ code: 'custom', path: ['hiddenWidths'], message: 'give either width or hiddenWidths, not both' });
    if (o.hiddenWidths !== undefined && o.hiddenWidths.length !== o.depth - 1) {
      ctx.addIssue({ code: 'custom', path: ['hiddenWidths'], message: `a depth-${o.depth} net has ${o.depth - 1} hidden layers, got ${o.hiddenWidths.length} widths` });
    }
  });

export const deepLinearEntry: ArchitectureEntry<z.infer<typeof deepLinearSchema>> = {
  name: 'deep-linear',
  description: 'deep linear net γ·W_N⋯W_1·x without biases (Arora et al. (2018), §4, Sankararaman et al. (2020), §6); near-zero, near-identity, orthogonal, balanced or Strategy 4.1 init',
  schema: deepLinearSchema,
  displayName: (o) => deepLinearName(o as DeepLinearOptions),
  build: (o) => ({ layer: deepLinear(o as DeepLinearOptions), inputShape: [o.inputDim] }),
  workload: (o) => ({ convolutional: false, width: Math.max(...(o.hiddenWidths ?? [o.width ?? Math.min(o.inputDim, o.outputDim)])) }),
  paramCount: (o) => denseChainParams(deepLinearDims(o as DeepLinearOptions), false),
  // Balanced init with O(1) weights: the near-zero default would make gradients too small to check.
  tiny: { depth: 3, inputDim: 4, outputDim: 2, hiddenWidths: [3, 5], init: 'balanced', initStd: 1 },
};
