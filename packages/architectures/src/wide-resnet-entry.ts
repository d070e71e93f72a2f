import { z } from 'zod';
import { imageShape } from './image-shape';
import type { ArchitectureEntry, DataShape } from './architecture-entry';
import { wideResNet, wideResNetDepthProblem, wideResNetName, type WideResNetOptions } from './wide-resnet';
import { depthOption } from './limits';

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
  fromData,
  defaultData: cifarShape,
  workload: () => ({ convolutional: true }),
  tiny,
};
