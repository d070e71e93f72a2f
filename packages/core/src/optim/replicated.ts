import { Matrix } from 'ml-matrix';
import { ConfigError, ShapeError } from '../errors';
import { toNamedArray, type NamedArray } from '../named-array';
import { tf, type Tensor, type Variable } from '../tf';
import { ADADELTA_DEFAULTS } from './adadelta';
import { endToEndDirection, endToEndDirectionSingleOutput } from './end-to-end';
import { createOptimizer, type OptimizerSpec } from './optimizer';

/**
 * The optimizers of `optimizer.ts` for a replica group: variables and slots are stacked on a
 * leading replica axis, and every hyper-parameter (learning rate included) is a per-replica
 * column `[R, 1, ..., 1]`. Each update is the solo optimizer's arithmetic, op for op, so a
 * replica's numbers are its solo run's (same float32 roundings per element); its slots are saved
 * and loaded in the names and layout its solo optimizer uses, so a replica's checkpoint is an
 * ordinary run's.
 */
export interface ReplicatedOptimizer {
  readonly name: string;
  /** One step of every replica; `learningRates[r]` is replica r's rate for this step. */
  step(variables: readonly Variable[], grads: readonly Tensor[], learningRates: readonly number[]): void;
  /** Replica r's state, as its solo optimizer's `saveSlots` would give it. */
  saveSlots(r: number, variables: readonly Variable[]): Promise<NamedArray[]>;
  /** Every replica's saved state (what its solo optimizer saved; `[]` before its first step), before the first step. */
  loadSlots(variables: readonly Variable[], perReplica: ReadonlyArray<readonly NamedArray[]>): void;
  /** Keeps only the replicas at these positions, in this order. */
  keep(indices: readonly number[]): void;
  dispose(): void;
}

// TensorFlow.js's defaults for the optimizers it implements (tf.train.adam, tf.train.adagrad).
const TFJS_ADAM = { beta1: 0.9, beta2: 0.999 };
const TFJS_ADAGRAD_INITIAL_ACCUMULATOR = 0.1;

/** Per-replica numbers as broadcastable columns, uploaded once per value (a new tensor per step costs more than the multiply). */
class Columns {
  private readonly values = new Map<string, number[]>();
  private readonly tensors = new Map<string, Tensor>();
  set(name: string, values: readonly number[]): void {
    const old = this.values.get(name);
    if (old !== undefined && old.length === values.length && old.every((v, i) => v === values[i])) return;
    this.values.set(name, [...values]);
    this.drop(name);
  }
  of(name: string): readonly number[] {
    return this.values.get(name)!;
  }
  get(name: string, rank: number): Tensor {
    const key = `${name}@${rank}`;
    let t = this.tensors.get(key);
    if (t === undefined) {
      const values = this.of(name);
      t = tf.keep(tf.tensor(values, [values.length, ...new Array<number>(rank - 1).fill(1)], 'float32'));
      this.tensors.set(key, t);
    }
    return t;
  }
  keep(indices: readonly number[]): void {
    for (const [name, values] of this.values) this.set(name, indices.map((i) => values[i]!));
  }
  private drop(name: string): void {
    for (const [key, t] of this.tensors) {
      if (key.startsWith(`${name}@`)) {
        t.dispose();
        this.tensors.delete(key);
      }
    }
  }
  dispose(): void {
    for (const t of this.tensors.values()) t.dispose();
    this.tensors.clear();
  }
}

/** A slot per (kind, variable), stacked like its variable; created on first use with each replica's initial value. */
class Slots {
  private readonly held = new Map<string, Variable>();
  get(kind: string, i: number, like: Variable, initial: readonly number[]): Variable {
    const key = `${kind}/${i}`;
    let v = this.held.get(key);
    if (v === undefined) {
      const per = like.size / like.shape[0]!;
      const values = Float32Array.from({ length: like.size }, (_, k) => initial[Math.floor(k / per)]!);
      v = tf.tidy(() => tf.variable(tf.tensor(values, like.shape), false));
      this.held.set(key, v);
    }
    return v;
  }
  has(kind: string, i: number): boolean {
    return this.held.has(`${kind}/${i}`);
  }
  /** Builds slot (kind, i) from every replica's values (`undefined`: that replica's initial value). */
  load(kind: string, i: number, like: Variable, values: ReadonlyArray<Float32Array | undefined>, initial: readonly number[]): void {
    const per = like.size / like.shape[0]!;
    const all = new Float32Array(like.size);
    values.forEach((v, r) => (v === undefined ? all.fill(initial[r]!, r * per, (r + 1) * per) : all.set(v, r * per)));
    this.held.get(`${kind}/${i}`)?.dispose();
    this.held.set(`${kind}/${i}`, tf.tidy(() => tf.variable(tf.tensor(all, like.shape), false)));
  }
  async slice(kind: string, i: number, r: number, name: string): Promise<NamedArray> {
    const v = this.held.get(`${kind}/${i}`)!;
    const t = tf.tidy(() => tf.squeeze(tf.slice(v, [r], [1]), [0]));
    try {
      return await toNamedArray(name, t);
    } finally {
      t.dispose();
    }
  }
  keep(indices: readonly number[]): void {
    const index = tf.tensor1d(Array.from(indices), 'int32');
    for (const [key, v] of this.held) {
      this.held.set(key, tf.tidy(() => tf.variable(tf.gather(v, index), false)));
      v.dispose();
    }
    index.dispose();
  }
  dispose(): void {
    for (const v of this.held.values()) v.dispose();
    this.held.clear();
  }
}

type Spec<N extends OptimizerSpec['name']> = Extract<OptimizerSpec, { name: N }>;

/** One optimizer for the group; every spec must name the same optimizer (their numbers may differ). */
export function createReplicatedOptimizer(specs: readonly OptimizerSpec[]): ReplicatedOptimizer {
  const name = specs[0]?.name;
  if (name === undefined || specs.some((s) => s.name !== name)) throw new ConfigError('optimizer', `replicas train with one optimizer, got ${[...new Set(specs.map((s) => s.name))].join(', ')}; group runs by optimizer`);
  // The solo constructors validate every replica's numbers, with their own messages.
  for (const s of specs) createOptimizer(s).dispose();
  const columns = new Columns();
  const slots = new Slots();
  /** Whether replica r has stepped (or was restored with slots): its solo optimizer has created its slots. */
  let stepped = specs.map(() => false);
  let iterations = specs.map(() => 0);
  const numbers = (key: string, fallback: number) => specs.map((s) => ((s as Record<string, unknown>)[key] as number | undefined) ?? fallback);
  const negatedRates = (rates: readonly number[]) => columns.set('negLr', rates.map((lr) => -lr));
  const finishStep = () => {
    stepped = stepped.map(() => true);
    iterations = iterations.map((n) => n + 1);
  };
  const slice = (values: Float32Array | Int32Array) => Float32Array.from(values);

  const common = {
    name,
    keep(indices: readonly number[]) {
      columns.keep(indices);
      slots.keep(indices);
      stepped = indices.map((i) => stepped[i]!);
      iterations = indices.map((i) => iterations[i]!);
      perOptimizer.keep?.(indices);
    },
    dispose() {
      columns.dispose();
      slots.dispose();
      perOptimizer.dispose?.();
    },
  };
  let perOptimizer: { keep?(indices: readonly number[]): void; dispose?(): void } = {};

  switch (name) {
    case 'sgd': {
      const sgdSpecs = specs as ReadonlyArray<Spec<'sgd'>>;
      const nesterov = sgdSpecs[0]!.nesterov === true;
      if (sgdSpecs.some((s) => (s.nesterov === true) !== nesterov)) throw new ConfigError('optimizer.nesterov', 'replicas of one group must agree on nesterov; group runs by it');
      columns.set('weightDecay', numbers('weightDecay', 0));
      columns.set('momentum', numbers('momentum', 0));
      const anyDecay = columns.of('weightDecay').some((d) => d > 0);
      const hasMomentum = () => columns.of('momentum').map((m) => m > 0);
      return {
        ...common,
        step(variables, grads, rates) {
          columns.set('lr', rates);
          const withMomentum = hasMomentum().some(Boolean);
          tf.tidy(() => {
            variables.forEach((v, i) => {
              let g = grads[i]!;
              // A replica with decay or momentum 0 gets g + 0·w = g and v = 0·v + g = g: its solo step, exactly.
              if (anyDecay) g = tf.add(g, tf.mul(columns.get('weightDecay', v.rank), v));
              if (withMomentum) {
                const mu = columns.get('momentum', v.rank);
                const buf = slots.get('velocity', i, v, specs.map(() => 0));
                buf.assign(tf.add(tf.mul(mu, buf), g));
                g = nesterov ? tf.add(g, tf.mul(mu, buf)) : buf;
              }
              v.assign(tf.sub(v, tf.mul(columns.get('lr', v.rank), g)));
            });
          });
          finishStep();
        },
        async saveSlots(r, variables) {
          if (!stepped[r]! || !hasMomentum()[r]!) return [];
          return Promise.all(variables.map((_, i) => slots.slice('velocity', i, r, `velocity/${i}`)));
        },
        loadSlots(variables, perReplica) {
          perReplica.forEach((s, r) => (stepped[r] = s.length > 0));
          if (!perReplica.some((s) => s.length > 0)) return;
          variables.forEach((v, i) => {
            const values = perReplica.map((saved) => saved.find((a) => a.name === `velocity/${i}`)?.values);
            slots.load('velocity', i, v, values.map((x) => (x === undefined ? undefined : slice(x))), specs.map(() => 0));
          });
        },
      };
    }
    case 'adam':
    case 'adagrad': {
      const adam = name === 'adam';
      const epsilon = () => numbers('epsilon', tf.backend().epsilon());
      columns.set('beta1', numbers('beta1', TFJS_ADAM.beta1));
      columns.set('beta2', numbers('beta2', TFJS_ADAM.beta2));
      // tfjs multiplies by the JS number 1 − β, rounded to float32 as a scalar: the same number here.
      columns.set('oneMinusBeta1', columns.of('beta1').map((b) => 1 - b));
      columns.set('oneMinusBeta2', columns.of('beta2').map((b) => 1 - b));
      columns.set('initialAccumulator', numbers('initialAccumulatorValue', TFJS_ADAGRAD_INITIAL_ACCUMULATOR));
      // β₁ᵗ and β₂ᵗ per replica, as tfjs keeps them (multiplied once per step).
      let accBeta = adam ? tf.tidy(() => tf.variable(tf.tensor2d([...columns.of('beta1'), ...columns.of('beta2')], [2, specs.length]), false)) : undefined;
      perOptimizer = {
        keep(indices) {
          if (accBeta === undefined) return;
          const next = tf.tidy(() => tf.variable(tf.gather(accBeta!, tf.tensor1d(Array.from(indices), 'int32'), 1), false));
          accBeta.dispose();
          accBeta = next;
        },
        dispose: () => accBeta?.dispose(),
      };
      const slotCount = (variables: readonly Variable[]) => variables.length;
      return {
        ...common,
        step(variables, grads, rates) {
          negatedRates(rates);
          columns.set('epsilon', epsilon());
          tf.tidy(() => {
            if (adam) {
              const [acc1, acc2] = tf.unstack(accBeta!);
              variables.forEach((v, i) => {
                const column = (t: Tensor) => tf.reshape(t, [t.shape[0]!, ...new Array<number>(v.rank - 1).fill(1)]);
                const oneMinusAcc1 = column(tf.sub(1, acc1!));
                const oneMinusAcc2 = column(tf.sub(1, acc2!));
                const g = grads[i]!;
                const m = slots.get('m', i, v, specs.map(() => 0));
                const s = slots.get('v', i, v, specs.map(() => 0));
                const newM = tf.add(tf.mul(m, columns.get('beta1', v.rank)), tf.mul(g, columns.get('oneMinusBeta1', v.rank)));
                const newS = tf.add(tf.mul(s, columns.get('beta2', v.rank)), tf.mul(tf.square(g), columns.get('oneMinusBeta2', v.rank)));
                const mHat = tf.div(newM, oneMinusAcc1);
                const sHat = tf.div(newS, oneMinusAcc2);
                m.assign(newM);
                s.assign(newS);
                v.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(sHat), columns.get('epsilon', v.rank))), columns.get('negLr', v.rank)), v));
              });
              accBeta!.assign(tf.mul(accBeta!, tf.stack([columns.get('beta1', 1), columns.get('beta2', 1)])));
            } else {
              variables.forEach((v, i) => {
                const g = grads[i]!;
                const acc = slots.get('accumulator', i, v, columns.of('initialAccumulator'));
                const next = tf.add(acc, tf.square(g));
                acc.assign(next);
                v.assign(tf.add(tf.mul(tf.div(g, tf.sqrt(tf.add(next, columns.get('epsilon', v.rank)))), columns.get('negLr', v.rank)), v));
              });
            }
          });
          finishStep();
        },
        // tfjs's layout (see wrapTfOptimizer): the step count, then its slot variables by position, then β₁ᵗ, β₂ᵗ.
        async saveSlots(r, variables) {
          const out: NamedArray[] = [{ name: `${name}/0`, shape: [], dtype: 'int32', values: Int32Array.of(iterations[r]!) }];
          if (stepped[r]!) {
            const kinds = adam ? ['m', 'v'] : ['accumulator'];
            let k = 1;
            for (const kind of kinds) for (let i = 0; i < slotCount(variables); i++) out.push(await slots.slice(kind, i, r, `${name}/${k++}`));
          }
          if (accBeta !== undefined) {
            const acc = await accBeta.data();
            const n = iterations.length;
            out.push({ name: `${name}/accBeta1`, shape: [], dtype: 'float32', values: Float32Array.of(acc[r]!) });
            out.push({ name: `${name}/accBeta2`, shape: [], dtype: 'float32', values: Float32Array.of(acc[n + r]!) });
          }
          return out;
        },
        loadSlots(variables, perReplica) {
          const n = slotCount(variables);
          const kinds = adam ? ['m', 'v'] : ['accumulator'];
          const initial = adam ? specs.map(() => 0) : columns.of('initialAccumulator');
          perReplica.forEach((saved, r) => {
            const count = saved.find((a) => a.name === `${name}/0`);
            iterations[r] = count === undefined ? 0 : count.values[0]!;
            stepped[r] = saved.some((a) => a.name === `${name}/1`);
            if (saved.length > 0 && saved.length !== (stepped[r] ? 1 + kinds.length * n : 1) + (adam ? 2 : 0)) {
              throw new ShapeError(`${name}: replica ${r}'s checkpoint holds ${saved.length} slots, which fit no model of ${n} variables`);
            }
          });
          kinds.forEach((kind, j) => {
            variables.forEach((v, i) => {
              const values = perReplica.map((saved) => saved.find((a) => a.name === `${name}/${1 + j * n + i}`)?.values);
              slots.load(kind, i, v, values.map((x) => (x === undefined ? undefined : slice(x))), initial);
            });
          });
          if (accBeta !== undefined) {
            const pick = (key: string, fallback: readonly number[]) => perReplica.map((saved, r) => saved.find((a) => a.name === `${name}/${key}`)?.values[0] ?? fallback[r]!);
            tf.tidy(() => accBeta!.assign(tf.tensor2d([...pick('accBeta1', columns.of('beta1')), ...pick('accBeta2', columns.of('beta2'))], [2, specs.length])));
          }
        },
      };
    }
    case 'adadelta': {
      columns.set('rho', numbers('rho', ADADELTA_DEFAULTS.rho));
      columns.set('oneMinusRho', columns.of('rho').map((r) => 1 - r));
      const kinds = ['accumulatedGrad', 'accumulatedUpdate'] as const;
      return {
        ...common,
        step(variables, grads, rates) {
          columns.set('lr', rates);
          columns.set('epsilon', numbers('epsilon', ADADELTA_DEFAULTS.epsilon));
          tf.tidy(() => {
            variables.forEach((v, i) => {
              const rho = columns.get('rho', v.rank);
              const oneMinusRho = columns.get('oneMinusRho', v.rank);
              const eps = columns.get('epsilon', v.rank);
              const g = grads[i]!;
              const aG = slots.get(kinds[0], i, v, specs.map(() => 0));
              const aU = slots.get(kinds[1], i, v, specs.map(() => 0));
              aG.assign(tf.add(tf.mul(aG, rho), tf.mul(tf.square(g), oneMinusRho)));
              const update = tf.mul(tf.div(tf.sqrt(tf.add(aU, eps)), tf.sqrt(tf.add(aG, eps))), g);
              aU.assign(tf.add(tf.mul(aU, rho), tf.mul(tf.square(update), oneMinusRho)));
              v.assign(tf.sub(v, tf.mul(update, columns.get('lr', v.rank))));
            });
          });
          finishStep();
        },
        async saveSlots(r, variables) {
          if (!stepped[r]!) return [];
          const out: NamedArray[] = [];
          for (let i = 0; i < variables.length; i++) for (const kind of kinds) out.push(await slots.slice(kind, i, r, `${kind}/${i}`));
          return out;
        },
        loadSlots(variables, perReplica) {
          perReplica.forEach((s, r) => (stepped[r] = s.length > 0));
          for (const kind of kinds) {
            variables.forEach((v, i) => {
              const values = perReplica.map((saved) => saved.find((a) => a.name === `${kind}/${i}`)?.values);
              slots.load(kind, i, v, values.map((x) => (x === undefined ? undefined : slice(x))), specs.map(() => 0));
            });
          }
        },
      };
    }
    case 'end-to-end':
      return endToEndReplicated(specs as ReadonlyArray<Spec<'end-to-end'>>, common);
    default:
      throw new ConfigError('optimizer', `${name as string} has no replicated form`);
  }
}

/** Arora et al.'s (2018) end-to-end rule runs on the JS side in float64 anyway: once per replica on its slice, as its solo run does. */
function endToEndReplicated(specs: ReadonlyArray<Spec<'end-to-end'>>, common: Pick<ReplicatedOptimizer, 'name' | 'keep' | 'dispose'>): ReplicatedOptimizer {
  let depths = specs.map((s) => s.virtualDepth);
  let decays = specs.map((s) => s.weightDecay ?? 0);
  return {
    ...common,
    keep(indices) {
      depths = indices.map((i) => depths[i]!);
      decays = indices.map((i) => decays[i]!);
      common.keep(indices);
    },
    step(variables, grads, rates) {
      if (variables.length !== 1 || variables[0]!.rank !== 3) {
        const shapes = variables.map((v) => `[${v.shape.slice(1).join(', ')}]`).join(', ');
        throw new ConfigError('optimizer', `end-to-end trains a single weight matrix (deep-linear with depth 1), but the model's trainable parameters are ${shapes}`);
      }
      const v = variables[0]!;
      const [replicas, rows, cols] = v.shape as [number, number, number];
      const all = v.dataSync();
      const allGrads = grads[0]!.dataSync();
      const next = new Float32Array(all.length);
      const size = rows * cols;
      for (let r = 0; r < replicas; r++) {
        const w = Float64Array.from(all.subarray(r * size, (r + 1) * size));
        const g = Float64Array.from(allGrads.subarray(r * size, (r + 1) * size));
        const depth = depths[r]!;
        const direction =
          rows === 1 || cols === 1
            ? endToEndDirectionSingleOutput(w, g, depth)
            : Float64Array.from(endToEndDirection(Matrix.from1DArray(rows, cols, w), Matrix.from1DArray(rows, cols, g), depth).to1DArray());
        const lr = rates[r]!;
        const decay = 1 - lr * decays[r]! * depth;
        for (let k = 0; k < size; k++) next[r * size + k] = decay * w[k]! - lr * direction[k]!;
      }
      tf.tidy(() => v.assign(tf.tensor(next, v.shape)));
    },
    saveSlots: async () => [],
    loadSlots: () => {},
  };
}
