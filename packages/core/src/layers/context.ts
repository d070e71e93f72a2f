import type { Tensor } from '../tf';
import type { ApplyContext, TensorTree } from './types';

export function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** The context a combinator hands to its child `key`. */
export function childContext(ctx: ApplyContext, key: string): ApplyContext {
  const sub = ctx.state[key];
  return { ...ctx, path: joinPath(ctx.path, key), state: sub !== undefined && !isTensorLike(sub) ? sub : {} };
}

export function childParams(params: TensorTree, key: string): TensorTree {
  const sub = params[key];
  if (sub === undefined) return {};
  if (isTensorLike(sub)) throw new Error(`parameter '${key}' is a tensor where a subtree was expected`);
  return sub;
}

export function isTensorLike(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dataId' in v && 'shape' in v;
}

/** Depth-first, insertion-ordered leaves of a tree with their dotted paths. */
export function flattenTree<T extends Tensor>(tree: TensorTree<T>, prefix = ''): Array<[string, T]> {
  const out: Array<[string, T]> = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = joinPath(prefix, key);
    if (isTensorLike(value)) out.push([path, value as T]);
    else out.push(...flattenTree(value as TensorTree<T>, path));
  }
  return out;
}

/** The same tree shape with every leaf mapped. */
export function mapTree<A extends Tensor, B extends Tensor>(tree: TensorTree<A>, f: (leaf: A, path: string) => B, prefix = ''): TensorTree<B> {
  const out: TensorTree<B> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = joinPath(prefix, key);
    out[key] = isTensorLike(value) ? f(value as A, path) : mapTree(value as TensorTree<A>, f, path);
  }
  return out;
}
