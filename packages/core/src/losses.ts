import { ConfigError, ShapeError, UnknownNameError } from './errors';
import { tf, type Tensor } from './tf';

/**
 * A loss maps network outputs `g` [batch, k] and targets to per-example losses [batch].
 * Targets: class indices (int32 [batch]) for cross-entropy; reals [batch, k] for the square loss;
 * ±1 [batch] for the logistic loss.
 */
export interface Loss {
  readonly name: LossName;
  readonly targets: 'class' | 'real' | 'sign';
  /** The exponent of an `lp` loss; absent for the others. */
  readonly p?: number;
  perExample(output: Tensor, target: Tensor): Tensor;
}

export type LossName = 'softmax-cross-entropy' | 'square' | 'logistic' | 'lp' | 'l2' | 'l4';

/** A loss as a config names it: a name, or `lp` with its exponent (`{ name: 'lp', p: 4 }`). */
export type LossSpec = LossName | { readonly name: 'lp'; readonly p: number };
export type Reduction = 'none' | 'mean';

function asColumn(output: Tensor, target: Tensor, loss: string): [Tensor, Tensor] {
  const g = output.rank === 1 ? tf.expandDims(output, 1) : output;
  const y = target.rank === 1 ? tf.reshape(target, [target.shape[0]!, 1]) : target;
  if (g.shape[0] !== y.shape[0] || g.shape[1] !== y.shape[1]) {
    throw new ShapeError(`${loss}: outputs [${output.shape}] and targets [${target.shape}] do not match`);
  }
  return [g, y];
}

/**
 * Arora et al.'s (2018) ℓp loss, (1/p)(ŷ − y)^p per output, summed over outputs, for even p ≥ 2 (§7, §8:
 * p = 2 and 4). Computed as ((ŷ − y)²)^{p/2} so the power's base is never negative, which keeps
 * tfjs's pow gradient (b·a^{b−1}, and its log(a) term for the exponent) finite.
 */
export function lpLoss(p: number): Loss {
  if (!Number.isInteger(p) || p < 2 || p % 2 !== 0) throw new ConfigError('p', `the lp loss needs an even integer p ≥ 2, got ${p}`);
  return {
    name: 'lp',
    targets: 'real',
    p,
    perExample(output, target) {
      const [g, y] = asColumn(output, target, `lp(p=${p})`);
      const squared = tf.square(tf.sub(g, y));
      return tf.mul(1 / p, tf.sum(p === 2 ? squared : tf.pow(squared, p / 2), -1));
    },
  };
}

/** Short names for the two exponents Arora et al. (2018) uses. */
const lpAliases: Partial<Record<LossName, number>> = { l2: 2, l4: 4 };

const losses: Record<Exclude<LossName, 'lp' | 'l2' | 'l4'>, Loss> = {
  /** −log softmax(g)_y. */
  'softmax-cross-entropy': {
    name: 'softmax-cross-entropy',
    targets: 'class',
    perExample(output, target) {
      const classes = output.shape[output.shape.length - 1]!;
      const oneHot = tf.oneHot(tf.cast(target, 'int32'), classes);
      return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(output)), -1));
    },
  },
  /** ½‖g − y‖² per example (summed over outputs). */
  square: {
    name: 'square',
    targets: 'real',
    perExample(output, target) {
      const [g, y] = asColumn(output, target, 'square');
      return tf.mul(0.5, tf.sum(tf.square(tf.sub(g, y)), -1));
    },
  },
  /** log(1 + exp(−y·g)) for a single output g and y ∈ {−1, +1}, computed as softplus(−y·g). */
  logistic: {
    name: 'logistic',
    targets: 'sign',
    perExample(output, target) {
      const [g, y] = asColumn(output, target, 'logistic');
      if (g.shape[1] !== 1) throw new ShapeError(`logistic loss needs a single output, got ${g.shape[1]}`);
      return tf.reshape(tf.softplus(tf.neg(tf.mul(y, g))), [g.shape[0]!]);
    },
  },
};

export const lossNames = [...Object.keys(losses), 'lp', ...Object.keys(lpAliases)] as LossName[];

/**
 * A name, an `{ name: 'lp', p }` spec, or a loss itself → the loss. Plain `'lp'` has no exponent
 * and is refused with a ConfigError naming `p`; `l2` and `l4` are lp with p = 2 and 4.
 */
export function resolveLoss(spec: LossSpec | string | Loss): Loss {
  if (typeof spec !== 'string') return 'perExample' in spec ? spec : lossFromSpec(spec);
  if (spec === 'lp') throw new ConfigError('p', "the lp loss needs its exponent: give { name: 'lp', p: 4 } (or the l2 / l4 aliases)");
  const alias = lpAliases[spec as LossName];
  if (alias !== undefined) return lpLoss(alias);
  const loss = (losses as Record<string, Loss>)[spec];
  if (loss === undefined) throw new UnknownNameError('LOSS_UNKNOWN', 'loss', spec, lossNames);
  return loss;
}

function lossFromSpec(spec: { readonly name: string; readonly p?: number }): Loss {
  if (spec.name !== 'lp' && spec.p === undefined) return resolveLoss(spec.name);
  if (spec.name !== 'lp') throw new ConfigError('p', `only the lp loss takes an exponent, got loss '${spec.name}'`);
  return lpLoss(spec.p ?? Number.NaN);
}

/**
 * A config's loss name and optional exponent (`--loss lp --p 4`) → its spec, checked: `p` is
 * required by `lp` and refused by every other loss; `l2`/`l4` are kept as written.
 */
export function lossSpec(name: string, p?: number): LossSpec {
  if (!(lossNames as string[]).includes(name)) throw new UnknownNameError('LOSS_UNKNOWN', 'loss', name, lossNames);
  if (name === 'lp') {
    if (p === undefined) throw new ConfigError('p', 'the lp loss needs its exponent p (an even integer ≥ 2)');
    lpLoss(p);
    return { name: 'lp', p };
  }
  if (p !== undefined) throw new ConfigError('p', `only applies to the lp loss, not '${name}'`);
  return name as LossName;
}

/** How records and summaries name a loss: `square`, `lp(p=4)` (aliases too: `l4` is `lp(p=4)`). */
export function lossLabel(loss: LossSpec | Loss): string {
  const resolved = resolveLoss(loss);
  return resolved.p !== undefined ? `${resolved.name}(p=${resolved.p})` : resolved.name;
}

/** Per-example losses, or their mean. */
export function computeLoss(loss: Loss | LossSpec, output: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const perExample = resolveLoss(loss).perExample(output, target);
  return reduction === 'mean' ? tf.mean(perExample) : perExample;
}

/**
 * Each replica's mean loss, `[R]`, from a replica group's outputs `[R, batch, …]` and targets
 * `[R, batch, …]`: the replicas are folded into one batch for `perExample`, then split again.
 * Summed, its gradient gives each replica its own mean-loss gradient.
 */
export function replicaMeanLosses(loss: Loss, out: Tensor, y: Tensor): Tensor {
  const fold = (t: Tensor) => tf.reshape(t, [t.shape[0]! * t.shape[1]!, ...t.shape.slice(2)]);
  return tf.mean(tf.reshape(loss.perExample(fold(out), fold(y)), [out.shape[0]!, -1]), 1);
}
