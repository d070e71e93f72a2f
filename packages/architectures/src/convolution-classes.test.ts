import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { hasConvolution } from './convolution-classes';

describe('hasConvolution', () => {
  it('finds a convolution in a topology, inside a nested model too, and none in a dense net', () => {
    const inner = tfl.sequential({ layers: [tfl.layers.separableConv2d({ filters: 2, kernelSize: 3, inputShape: [6, 6, 1] }), tfl.layers.flatten()] });
    const outer = tfl.sequential({ layers: [inner, tfl.layers.dense({ units: 2 })] });
    const dense = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4] }), tfl.layers.dense({ units: 2 })] });
    expect(hasConvolution(outer.toJSON(null, false))).toBe(true);
    expect(hasConvolution(JSON.parse(JSON.stringify(outer.toJSON(null, false))))).toBe(true);
    expect(hasConvolution(dense.toJSON(null, false))).toBe(false);
    for (const m of [outer, dense]) m.dispose();
  });
});
