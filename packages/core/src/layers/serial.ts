import { childContext, childParams, joinPath } from './context';
import type { Layer, LayerInit, Shape, TensorTree } from './types';

/** Layers applied one after another; child `i` owns the parameter subtree `'i'`. */
export function serial(...layers: Layer[]): Layer {
  return {
    kind: 'serial',
    children: layers,
    withChildren: (children) => serial(...children),
    init(rng, inputShape: Shape): LayerInit {
      const params: TensorTree = {};
      const state: TensorTree = {};
      const frozen: string[] = [];
      let shape = inputShape;
      layers.forEach((layer, i) => {
        const key = String(i);
        const child = layer.init(rng.fork(key), shape);
        if (Object.keys(child.params).length > 0) params[key] = child.params;
        if (Object.keys(child.state).length > 0) state[key] = child.state;
        for (const f of child.frozen ?? []) frozen.push(joinPath(key, f));
        shape = child.outputShape;
      });
      return { params, state, outputShape: shape, frozen };
    },
    apply(params, x, ctx) {
      let h = x;
      layers.forEach((layer, i) => {
        const key = String(i);
        h = layer.apply(childParams(params, key), h, childContext(ctx, key));
      });
      return h;
    },
  };
}
