/**
 * What the generic path inherits from tfjs: it differentiates the Layers model with tfjs's own
 * gradient kernels, which core works around on some backends (the plugins' traits say where).
 * These are the known cases, said once per import so a user knows which numbers to distrust.
 */
import { activeBackendTraits } from '@overparam/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { isConvolutionClass } from './convolution-classes';

export function genericCaveats(model: LayersModel): string[] {
  const traits = activeBackendTraits();
  const caveats: string[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const config = layer.getConfig() as Record<string, unknown>;
    if (isConvolutionClass(className) && traits.convGradient !== 'native') {
      caveats.push(`${layer.name} (${className}): this backend's Conv2DBackpropFilter is missing or slow (core rewrites it); tfjs's own is used here and may fail`);
    }
    if (className === 'MaxPooling2D' && traits.maxPoolGradient !== 'native') {
      caveats.push(`${layer.name} (MaxPooling2D): this backend's MaxPoolGrad drops windows whose maximum is negative (core computes it another way); gradients through it are wrong here`);
    }
    if (className === 'AveragePooling2D' && config.padding === 'same') {
      caveats.push(`${layer.name} (AveragePooling2D, 'same'): tfjs 4.22's cpu AvgPoolGrad divides edge windows by k² instead of their size (core's avgPool2d does not); gradients through it may be wrong`);
    }
  }
  return caveats;
}
