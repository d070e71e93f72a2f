import { ConfigError, ShapeError } from '../errors';
import { toNamedArray } from '../named-array';
import { tf, type Variable } from '../tf';
import type { Optimizer } from './types';

/**
 * TensorFlow 1.x's tf.train.AdadeltaOptimizer defaults, which Arora et al. (2018) ran: ρ = 0.95,
 * ε = 1e-8. (TensorFlow.js takes ε from the backend, 1e-7 in float32; at ε = 1e-7 AdaDelta's first
 * steps are √10 times larger, and fig. 4's comparison moves with it.)
 */
export const ADADELTA_DEFAULTS = { rho: 0.95, epsilon: 1e-8 } as const;

export interface AdadeltaOptions {
  /** Decay ρ of both running averages. Default `ADADELTA_DEFAULTS.rho`. */
  readonly rho?: number;
  /** ε inside both square roots. Default `ADADELTA_DEFAULTS.epsilon`. */
  readonly epsilon?: number;
}

const SLOTS = ['accumulatedGrad', 'accumulatedUpdate'] as const;

/**
 * AdaDelta (Zeiler 2012, Algorithm 1), the way TensorFlow's ApplyAdadelta computes it:
 *   E[g²] ← ρE[g²] + (1 − ρ)g²;  Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g;  E[Δ²] ← ρE[Δ²] + (1 − ρ)Δ²;  w ← w − α·Δ.
 * TensorFlow.js's tf.train.adadelta divides by the running average *before* this step's update;
 * with both averages starting at 0 they then stay equal, Δ = g at every step, and it is exactly
 * SGD — which would make Arora et al.'s (2018) AdaDelta comparison (fig. 4 left) a comparison with plain GD.
 */
export function adadelta(options: AdadeltaOptions = {}): Optimizer {
  const rho = options.rho ?? ADADELTA_DEFAULTS.rho;
  if (!(rho > 0 && rho < 1)) throw new ConfigError('optimizer.rho', `must be in (0, 1), got ${rho}`);
  const epsilon = options.epsilon ?? ADADELTA_DEFAULTS.epsilon;
  if (!(epsilon > 0)) throw new ConfigError('optimizer.epsilon', `must be > 0, got ${epsilon}`);
  const slots = new Map<Variable, { accumulatedGrad: Variable; accumulatedUpdate: Variable }>();
  const slotsOf = (v: Variable) => {
    let held = slots.get(v);
    if (held === undefined) {
      held = { accumulatedGrad: tf.variable(tf.zerosLike(v), false), accumulatedUpdate: tf.variable(tf.zerosLike(v), false) };
      slots.set(v, held);
    }
    return held;
  };
  return {
    name: 'adadelta',
    step(variables, grads, learningRate) {
      tf.tidy(() => {
        variables.forEach((v, i) => {
          const g = grads[i]!;
          const { accumulatedGrad, accumulatedUpdate } = slotsOf(v);
          accumulatedGrad.assign(tf.add(tf.mul(accumulatedGrad, rho), tf.mul(tf.square(g), 1 - rho)));
          const update = tf.mul(tf.div(tf.sqrt(tf.add(accumulatedUpdate, epsilon)), tf.sqrt(tf.add(accumulatedGrad, epsilon))), g);
          accumulatedUpdate.assign(tf.add(tf.mul(accumulatedUpdate, rho), tf.mul(tf.square(update), 1 - rho)));
          v.assign(tf.sub(v, tf.mul(update, learningRate)));
        });
      });
    },
    async saveSlots(variables) {
      const out = [];
      for (const [i, v] of variables.entries()) {
        const held = slots.get(v);
        if (held !== undefined) for (const slot of SLOTS) out.push(await toNamedArray(`${slot}/${i}`, held[slot]));
      }
      return out;
    },
    async loadSlots(variables, saved) {
      for (const slot of saved) {
        const [kind, index] = slot.name.split('/');
        const v = variables[Number(index)];
        if (!SLOTS.includes(kind as (typeof SLOTS)[number]) || v === undefined || v.shape.join(',') !== slot.shape.join(',')) {
          throw new ShapeError(`adadelta: checkpoint slot '${slot.name}' [${slot.shape.join(', ')}] matches no variable of this model`);
        }
        const held = slotsOf(v);
        tf.tidy(() => held[kind as (typeof SLOTS)[number]].assign(tf.tensor(slot.values, slot.shape as number[], slot.dtype)));
      }
    },
    dispose() {
      for (const held of slots.values()) tf.dispose([held.accumulatedGrad, held.accumulatedUpdate]);
      slots.clear();
    },
  };
}
