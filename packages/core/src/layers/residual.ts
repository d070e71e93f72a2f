import { ShapeError } from '../errors';
import { tf } from '../tf';
import { childContext, childParams, flattenTree, joinPath } from './context';
import type { Layer, LayerInit, Shape, TensorTree } from './types';

/**
 * y = main(x) + shortcut(x), with the identity as the default shortcut. Parameters and state of
 * the two branches live under the keys `main` and `shortcut`. Where `main` changes the shape
 * (stride, channels), give a shortcut that changes it the same way, e.g. a 1×1 conv2d.
 */
export function residual(main: Layer, shortcut?: Layer): Layer {
  const branches: Array<[string, Layer]> = shortcut === undefined ? [['main', main]] : [['main', main], ['shortcut', shortcut]];
  return {
    kind: 'residual',
    children: branches.map(([, layer]) => layer),
    withChildren: (children) => residual(children[0]!, children[1]),
    init(rng, inputShape: Shape): LayerInit {
      const params: TensorTree = {};
      const state: TensorTree = {};
      const frozen: string[] = [];
      const shapes: Shape[] = [];
      for (const [key, layer] of branches) {
        const child = layer.init(rng.fork(key), inputShape);
        if (Object.keys(child.params).length > 0) params[key] = child.params;
        if (Object.keys(child.state).length > 0) state[key] = child.state;
        for (const f of child.frozen ?? []) frozen.push(joinPath(key, f));
        shapes.push(child.outputShape);
      }
      const mainShape = shapes[0]!;
      const skipShape = shapes[1] ?? inputShape;
      if (mainShape.join(',') !== skipShape.join(',')) {
        tf.dispose([...flattenTree(params), ...flattenTree(state)].map(([, t]) => t));
        const what = shortcut === undefined ? 'the identity shortcut keeps the input shape' : 'the shortcut gives';
        throw new ShapeError(`residual: the main branch gives [${mainShape.join(', ')}] but ${what} [${skipShape.join(', ')}]; use a shortcut that maps to the main branch's shape (e.g. a 1×1 conv2d with the same stride)`);
      }
      return { params, state, outputShape: mainShape, frozen };
    },
    apply(params, x, ctx) {
      const y = main.apply(childParams(params, 'main'), x, childContext(ctx, 'main'));
      const skip = shortcut === undefined ? x : shortcut.apply(childParams(params, 'shortcut'), x, childContext(ctx, 'shortcut'));
      return tf.add(y, skip);
    },
  };
}
