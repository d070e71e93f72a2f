import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors';
import { tf } from '../tf';
import { activation } from './activation';
import { conv2d } from './conv2d';
import { createModel } from './model';
import { residual } from './residual';
import { serial } from './serial';

describe('residual', () => {
  it('adds the input back with the identity shortcut', () => {
    const model = createModel(residual(serial(conv2d({ filters: 2, kernelSize: 3 }), activation('tanh'))), { inputShape: [3, 3, 2], seed: 1 });
    expect(model.parameters.map((p) => p.path)).toEqual(['main.0.w', 'main.0.b']);
    const x = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 5);
    const inner = createModel(serial(conv2d({ filters: 2, kernelSize: 3 }), activation('tanh')), { inputShape: [3, 3, 2], seed: 1 });
    inner.writeWeights(model.readWeights().map((w) => ({ ...w, path: w.path.replace('main.', '') })));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(model.apply(x), tf.add(inner.apply(x), x)))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose(x);
    model.dispose();
    inner.dispose();
  });

  it('adds a 1×1-conv shortcut where the main branch changes the shape', () => {
    const layer = residual(conv2d({ filters: 4, kernelSize: 3, stride: 2 }), conv2d({ filters: 4, kernelSize: 1, stride: 2, bias: false }));
    const model = createModel(layer, { inputShape: [4, 4, 2], seed: 0 });
    expect(model.outputShape).toEqual([2, 2, 4]);
    expect(model.parameters.map((p) => `${p.path}:${p.shape.join('x')}`)).toEqual(['main.w:3x3x2x4', 'main.b:4', 'shortcut.w:1x1x2x4']);
    expect(layer.children).toHaveLength(2);
    expect(layer.withChildren!(layer.children!).kind).toBe('residual');
    model.dispose();
  });

  it('names both shapes when the branches disagree', () => {
    const layer = residual(conv2d({ filters: 4, kernelSize: 3, stride: 2 }));
    expect(() => createModel(layer, { inputShape: [4, 4, 2] })).toThrow(ShapeError);
    expect(() => createModel(layer, { inputShape: [4, 4, 2] })).toThrow(/\[2, 2, 4\].*\[4, 4, 2\]/);
  });
});
