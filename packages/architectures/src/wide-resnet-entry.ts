import { z } from 'zod';
import { imageShape } from './image-shape';
import type { ArchitectureEntry, DataShape } from './architecture-entry';
import { wideResNet, wideResNetDepthProblem, wideResNetName, type WideResNetOptions } from './wide-resnet';
import { depthOption } from './limits';
import { convParams } from './param-count';

/**
 * The count `wideResNet` builds: the stem conv, per block two 3×3 convs, a batch norm (γ, β) before
 * each and a 1×1-conv shortcut where the shape changes (with skip), then a batch norm and the classifier.
 */
function wideResNetParams(o: { depth: number; widthFactor: number; batchNorm: boolean; inputShape: number[]; classes: number }, skip: boolean): number {
  const bias = !o.batchNorm;
  const bn = (channels: number) => (o.batchNorm ? 2 * channels : 0);
  const n = (o.depth - 4) / 6;
  let channels = 16;
  let count = convParams(3, imageShape(o.inputShape, 'wrn and cnn')[2], 16, bias);
  [16, 32, 64].forEach((base, group) => {
    const width = base * o.widthFactor;
    for (let i = 0; i < n; i++) {
      const stride = group > 0 && i === 0 ? 2 : 1;
      count += bn(channels) + convParams(3, channels, width, bias) + bn(width) + convParams(3, width, width, bias);
      if (skip && (channels !== width || stride !== 1)) count += convParams(1, channels, width, bias);
      channels = width;
    }
  });
  return count + bn(channels) + channels * o.classes + o.classes;
}

const positiveInt = z.number().int().min(1);

const fields = {
  depth: depthOption('β = 6n + 4 (10, 16, 22, 28, …): the number of weight layers'),
  widthFactor: positiveInt.describe('ℓ: the groups have 16ℓ, 32ℓ and 64ℓ channels'),
  batchNorm: z.boolean().default(true).describe('pre-activation batch norm; off removes every BN and gives every conv a bias'),
  inputShape: z.array(positiveInt).min(1).max(3).default([32, 32, 3]).describe('[height, width, channels] of one input, or a flat square grey image such as [784]'),
  classes: positiveInt.default(10).describe('outputs of the linear classifier'),
  dropout: z.number().min(0).lt(1).default(0).describe('dropout rate between the two convs of a block (Sankararaman et al. (2020, appendix) uses 0)'),
};

function checkDepthAndImage(o: { depth: number; inputShape: number[] }, ctx: z.RefinementCtx): void {
  const problem = wideResNetDepthProblem(o.depth);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['depth'], message: problem });
  try {
    imageShape(o.inputShape, 'wrn and cnn');
  } catch (e) {
    ctx.addIssue({ code: 'custom', path: ['inputShape'], message: (e as Error).message });
  }
}

const wrnSchema = z.strictObject({ ...fields, skip: z.boolean().default(true).describe('shortcut connections; off gives CNN-β-ℓ') }).superRefine(checkDepthAndImage);
const cnnSchema = z.strictObject(fields).superRefine(checkDepthAndImage);

const fromData = (data: DataShape) => ({ inputShape: [...data.inputShape], classes: data.outputDim });
const cifarShape: DataShape = { inputShape: [32, 32, 3], outputDim: 10 };
// n = 1 block per group on 4×4 inputs: every kind of block (identity and 1×1-conv shortcut, both
// strides) at a size the conformance suite can train and difference quickly on every backend.
const tiny = { depth: 10, widthFactor: 1, inputShape: [4, 4, 3], classes: 3 };

export const wrnEntry: ArchitectureEntry<z.infer<typeof wrnSchema>> = {
  name: 'wrn',
  description: 'Wide ResNet WRN-β-ℓ (Sankararaman et al. (2020), appendix A.2, Zagoruyko & Komodakis 2016): pre-activation blocks, batch norm and skip connections switchable',
  schema: wrnSchema,
  displayName: wideResNetName,
  build: (o) => ({ layer: wideResNet(o as WideResNetOptions), inputShape: o.inputShape }),
  paramCount: (o) => wideResNetParams(o, o.skip),
  fromData,
  defaultData: cifarShape,
  workload: () => ({ convolutional: true }),
  tiny,
};

export const cnnEntry: ArchitectureEntry<z.infer<typeof cnnSchema>> = {
  name: 'cnn',
  description: 'CNN-β-ℓ (Sankararaman et al. (2020), appendix A.2): the Wide ResNet without skip connections; batch norm switchable',
  schema: cnnSchema,
  displayName: (o) => wideResNetName({ ...o, skip: false }),
  build: (o) => ({ layer: wideResNet({ ...(o as WideResNetOptions), skip: false }), inputShape: o.inputShape }),
  paramCount: (o) => wideResNetParams(o, false),
  fromData,
  defaultData: cifarShape,
  workload: () => ({ convolutional: true }),
  tiny,
};
