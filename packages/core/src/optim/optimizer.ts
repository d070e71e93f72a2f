import { ConfigError, ShapeError, UnknownNameError } from '../errors';
import { tf, type Tensor, type Variable } from '../tf';
import { toNamedArray, type NamedArray } from '../named-array';
import { adadelta } from './adadelta';
import { endToEnd } from './end-to-end';
import { optimizerNames, type Optimizer, type OptimizerSpec } from './types';

export { optimizerNames, type Optimizer, type OptimizerSpec } from './types';

/**
 * SGD, w ← w − α·v with v = g + λw (weight decay λ, default 0) or, with momentum μ > 0 (default 0),
 * v ← μ·v + (g + λw), using v (or g + μ·v with Nesterov) as the step direction.
 */
export function sgd(options: { momentum?: number; nesterov?: boolean; weightDecay?: number } = {}): Optimizer {
  const momentum = options.momentum ?? 0;
  const weightDecay = options.weightDecay ?? 0;
  if (!(momentum >= 0 && momentum < 1)) throw new ConfigError('optimizer.momentum', `must be in [0, 1), got ${momentum}`);
  if (!(weightDecay >= 0)) throw new ConfigError('optimizer.weightDecay', `must be ≥ 0, got ${weightDecay}`);
  const velocity = new Map<Variable, Variable>();
  // The scalars live across steps: a JS number in tf.mul becomes a new tensor on every call, and on
  // the node backend those uploads cost more than the multiplies (MLP-3-100: 155 → 208 steps/s).
  const scalars = new Map<string, { value: number; tensor: Tensor }>();
  const scalar = (key: string, value: number): Tensor => {
    const held = scalars.get(key);
    if (held !== undefined && held.value === value) return held.tensor;
    held?.tensor.dispose();
    const tensor = tf.keep(tf.scalar(value));
    scalars.set(key, { value, tensor });
    return tensor;
  };
  return {
    name: 'sgd',
    step(variables, grads, learningRate) {
      tf.tidy(() => {
        const lr = scalar('lr', learningRate);
        const decay = weightDecay > 0 ? scalar('weightDecay', weightDecay) : undefined;
        const mu = momentum > 0 ? scalar('momentum', momentum) : undefined;
        variables.forEach((v, i) => {
          let g = grads[i]!;
          if (decay !== undefined) g = tf.add(g, tf.mul(decay, v));
          if (mu !== undefined) {
            let buf = velocity.get(v);
            if (buf === undefined) {
              buf = tf.variable(tf.zerosLike(v), false);
              velocity.set(v, buf);
            }
            buf.assign(tf.add(tf.mul(mu, buf), g));
            g = options.nesterov === true ? tf.add(g, tf.mul(mu, buf)) : buf;
          }
          v.assign(tf.sub(v, tf.mul(lr, g)));
        });
      });
    },
    // Slot i is the velocity of variables[i]; variables without one (never stepped) are left out.
    async saveSlots(variables) {
      const out: NamedArray[] = [];
      for (const [i, v] of variables.entries()) {
        const buf = velocity.get(v);
        if (buf !== undefined) out.push(await toNamedArray(`velocity/${i}`, buf));
      }
      return out;
    },
    async loadSlots(variables, slots) {
      for (const slot of slots) {
        const i = Number(slot.name.replace(/^velocity\//, ''));
        const v = variables[i];
        if (!slot.name.startsWith('velocity/') || v === undefined || v.shape.join(',') !== slot.shape.join(',')) {
          throw new ShapeError(`sgd: checkpoint slot '${slot.name}' [${slot.shape.join(', ')}] matches no variable of this model`);
        }
        velocity.get(v)?.dispose();
        velocity.set(v, tf.tidy(() => tf.variable(tf.tensor(slot.values, slot.shape as number[], slot.dtype), false)));
      }
    },
    dispose() {
      for (const buf of velocity.values()) buf.dispose();
      velocity.clear();
      for (const { tensor } of scalars.values()) tensor.dispose();
      scalars.clear();
    },
  };
}

type TfOptimizer = tf.Optimizer & { learningRate: number };

/**
 * Adam's β₁ᵗ and β₂ᵗ, which tfjs accumulates by multiplying once per step but rebuilds with
 * `pow` in setWeights: the two differ in the last float32 bit, enough to make a resumed run's
 * losses drift from an uninterrupted one. Checkpoints carry them as they are.
 */
function powerAccumulators(inner: tf.Optimizer): Array<[string, Variable]> {
  const fields = inner as unknown as Record<string, unknown>;
  return ['accBeta1', 'accBeta2'].filter((k) => fields[k] instanceof tf.Variable).map((k) => [k, fields[k] as Variable]);
}

/** Wraps a TF.js optimizer so the learning rate can follow our schedule step by step. */
function wrapTfOptimizer(name: string, make: () => tf.Optimizer): Optimizer {
  const inner = make() as TfOptimizer;
  return {
    name,
    step(variables, grads, learningRate) {
      inner.learningRate = learningRate;
      const named: Record<string, Tensor> = {};
      variables.forEach((v, i) => (named[v.name] = grads[i]!));
      inner.applyGradients(named);
    },
    // tfjs keeps its slots by position (the order of applyGradients' variables), with the step
    // count first; the names it gives them embed global variable names, so ours are positional.
    async saveSlots() {
      const weights = await inner.getWeights();
      const slots = await Promise.all(weights.map((w, i) => toNamedArray(`${name}/${i}`, w.tensor)));
      // The first is a fresh scalar holding the step count; the rest are the optimizer's own variables.
      weights[0]?.tensor.dispose();
      for (const [key, v] of powerAccumulators(inner)) slots.push(await toNamedArray(`${name}/${key}`, v));
      return slots;
    },
    async loadSlots(_variables, slots) {
      if (slots.length === 0) return;
      const accumulators = new Map(powerAccumulators(inner));
      const isAccumulator = (s: NamedArray) => accumulators.has(s.name.slice(name.length + 1));
      const weights = slots.filter((s) => !isAccumulator(s)).map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape as number[], s.dtype) }));
      try {
        await inner.setWeights(weights);
      } finally {
        // setWeights makes variables of them, which keep the data alive.
        for (const w of weights) w.tensor.dispose();
      }
      for (const s of slots.filter(isAccumulator)) tf.tidy(() => accumulators.get(s.name.slice(name.length + 1))!.assign(tf.tensor(s.values, s.shape as number[], s.dtype)));
    },
    dispose: () => inner.dispose(),
  };
}

export function createOptimizer(spec: OptimizerSpec | { name: string }): Optimizer {
  switch (spec.name) {
    case 'sgd':
      return sgd(spec as Extract<OptimizerSpec, { name: 'sgd' }>);
    case 'adam': {
      const s = spec as Extract<OptimizerSpec, { name: 'adam' }>;
      return wrapTfOptimizer('adam', () => tf.train.adam(0.001, s.beta1, s.beta2, s.epsilon));
    }
    case 'adagrad': {
      const s = spec as Extract<OptimizerSpec, { name: 'adagrad' }>;
      return wrapTfOptimizer('adagrad', () => tf.train.adagrad(0.01, s.initialAccumulatorValue));
    }
    case 'adadelta': {
      const s = spec as Extract<OptimizerSpec, { name: 'adadelta' }>;
      // Ours, not tf.train.adadelta: see adadelta.ts for why TensorFlow.js's is plain SGD.
      return adadelta({ rho: s.rho, epsilon: s.epsilon });
    }
    case 'end-to-end': {
      const s = spec as Partial<Extract<OptimizerSpec, { name: 'end-to-end' }>>;
      if (s.virtualDepth === undefined) throw new ConfigError('optimizer.virtualDepth', 'end-to-end needs the depth N it stands in for (Arora et al. (2018), eq. 10), e.g. { name: "end-to-end", virtualDepth: 3 }');
      return endToEnd({ virtualDepth: s.virtualDepth, weightDecay: s.weightDecay });
    }
    default:
      throw new UnknownNameError('OPTIMIZER_UNKNOWN', 'optimizer', spec.name, optimizerNames);
  }
}
