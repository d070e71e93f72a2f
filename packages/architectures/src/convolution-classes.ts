/**
 * Which Layers classes are convolutions, said once: a backend picks its settings by whether a
 * model has one (`Workload.convolutional`), decided from model.json before import (a run's
 * `model`) and from the topology after it (an import registered as an architecture); the
 * generic path's caveats name the convolutions whose gradients tfjs computes. The list holds
 * classes the importer has no rule for too, since a generic-path model may have them.
 */
const convolutionClassNames: ReadonlySet<string> = new Set(['Conv1D', 'Conv2D', 'Conv2DTranspose', 'Conv3D', 'DepthwiseConv2D', 'SeparableConv2D']);

export function isConvolutionClass(className: string): boolean {
  return convolutionClassNames.has(className);
}

/** Whether a Layers topology (model.json's `modelTopology`, or `model.toJSON()`), nested models included, has a convolution layer. */
export function hasConvolution(topology: unknown): boolean {
  if (Array.isArray(topology)) return topology.some(hasConvolution);
  if (typeof topology !== 'object' || topology === null) return false;
  const { class_name: className } = topology as { class_name?: unknown };
  if (typeof className === 'string' && isConvolutionClass(className)) return true;
  return Object.values(topology).some(hasConvolution);
}
