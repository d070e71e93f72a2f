/**
 * An imported model as a registry architecture: `registerArchitecture(importedArchitecture(name,
 * model))` lets everything that builds nets by name (a run config's `arch`, the playground's form)
 * train it. Every build starts from the import's weights as they are now, whatever the seed, so
 * two runs of it start equal; the data set must fit the model's input and output shapes.
 */
import { mapTree, tf, type Layer } from '@overparam/core';
import { z } from 'zod';
import type { ArchitectureEntry, DataShape } from './architecture-entry';
import { hasConvolution } from './convolution-classes';
import { ModelImportError } from './import-errors';
import type { ImportedModel } from './import-model';
import { shapeMisfit } from './shape-fit';

/** The import's network, its `init` giving copies of the import's weights instead of drawing them. */
function startingAtWeights(model: ImportedModel): Layer {
  const frozen = model.parameters.filter((p) => !p.trainable).map((p) => p.path);
  return {
    kind: 'imported',
    body: model.layer,
    init: () => ({ params: mapTree(model.params, (v) => tf.clone(v)), state: mapTree(model.state, (v) => tf.clone(v)), outputShape: model.outputShape, frozen }),
    apply: (params, x, ctx) => model.layer.apply(params, x, ctx),
  };
}

/**
 * `model` as the architecture `name`. Only the fast path: a generic-path import is the Layers
 * model's own variables, which a build cannot copy into a new model (load its file per run
 * instead). The caller keeps `model` alive while the entry is registered.
 */
export function importedArchitecture(name: string, model: ImportedModel): ArchitectureEntry<DataShape> {
  if (model.imported.path !== 'fast') {
    const why = model.imported.generic.map((g) => `${g.layer} (${g.className}): ${g.reason}`).join('; ');
    throw new ModelImportError(`${model.name} takes the generic path (${why}), which cannot be offered as an architecture; train it from its file (overparam train --model FILE)`);
  }
  const own: DataShape = { inputShape: model.inputShape, outputDim: model.outputShape.reduce((a, b) => a * b, 1) };
  const schema = z.object({ inputShape: z.array(z.number()), outputDim: z.number() }).superRefine((data, ctx) => {
    const misfit = shapeMisfit(model.name, model, data);
    if (misfit !== undefined) ctx.addIssue({ code: 'custom', path: [misfit.field], message: `${misfit.problem}; ${misfit.fix}` });
  });
  const convolutional = hasConvolution(model.origin.topology);
  return {
    name,
    description: `the imported Layers model ${model.name}, starting from its own weights`,
    schema,
    displayName: () => model.name,
    build: () => ({ layer: startingAtWeights(model), inputShape: model.inputShape }),
    fromData: (data) => ({ inputShape: [...data.inputShape], outputDim: data.outputDim }),
    defaultData: own,
    paramCount: () => model.paramCount,
    workload: () => ({ convolutional }),
  };
}
