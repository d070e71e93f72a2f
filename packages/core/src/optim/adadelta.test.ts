import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '../errors';
import { createRng } from '../rng';
import { tf, type Variable } from '../tf';
import { ADADELTA_DEFAULTS } from './adadelta';
import { createOptimizer } from './optimizer';

/** A least-squares problem ½‖Aw − b‖²/n with its gradient, in float64. */
function problem(seed: string, n = 6, d = 3) {
  const rng = createRng(seed);
  const a = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  const b = Array.from({ length: n }, () => rng.normal());
  const gradient = (w: readonly number[]) => {
    const g = new Array<number>(d).fill(0);
    a.forEach((row, i) => {
      const r = row.reduce((s, x, j) => s + x * w[j]!, 0) - b[i]!;
      row.forEach((x, j) => (g[j]! += (r * x) / n));
    });
    return g;
  };
  const tensors = { a: tf.tensor2d(a), b: tf.tensor2d(b, [n, 1]) };
  return { d, gradient, tensors };
}

/** Zeiler's Algorithm 1 as TensorFlow's ApplyAdadelta orders it, in float64, written out per coordinate. */
function reference(start: readonly number[], gradient: (w: readonly number[]) => number[], steps: number, lr: number, rho: number, epsilon: number): number[] {
  const w = [...start];
  const eg = new Array<number>(w.length).fill(0);
  const ed = new Array<number>(w.length).fill(0);
  for (let t = 0; t < steps; t++) {
    const g = gradient(w);
    for (let j = 0; j < w.length; j++) {
      eg[j] = rho * eg[j]! + (1 - rho) * g[j]! ** 2;
      const delta = (Math.sqrt(ed[j]! + epsilon) / Math.sqrt(eg[j]! + epsilon)) * g[j]!;
      ed[j] = rho * ed[j]! + (1 - rho) * delta ** 2;
      w[j]! -= lr * delta;
    }
  }
  return w;
}

function train(optimizerSpec: Parameters<typeof createOptimizer>[0], p: ReturnType<typeof problem>, start: number[], steps: number, lr: number, resumeAt?: number): Promise<number[]> {
  return (async () => {
    const w: Variable = tf.tidy(() => tf.variable(tf.tensor2d(start, [p.d, 1])));
    let optimizer = createOptimizer(optimizerSpec);
    const lossOf = () => tf.div(tf.sum(tf.square(tf.sub(tf.matMul(p.tensors.a, w), p.tensors.b))), 2 * p.tensors.a.shape[0]) as tf.Scalar;
    for (let t = 0; t < steps; t++) {
      if (t === resumeAt) {
        const slots = await optimizer.saveSlots([w]);
        optimizer.dispose();
        optimizer = createOptimizer(optimizerSpec);
        await optimizer.loadSlots([w], slots);
      }
      const { value, grads } = tf.variableGrads(lossOf, [w]);
      optimizer.step([w], [grads[w.name]!], lr);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const out = Array.from(await w.data());
    optimizer.dispose();
    w.dispose();
    return out;
  })();
}

describe('adadelta (Zeiler 2012, as TensorFlow computes it)', () => {
  const rho = 0.9;
  const epsilon = 1e-6;
  const spec = { name: 'adadelta', rho, epsilon } as const;

  it('follows a float64 reference of Algorithm 1 step by step, and is not plain SGD', async () => {
    const p = problem('adadelta');
    const start = [0.3, -0.2, 0.1];
    const before = tf.memory().numTensors;
    const got = await train(spec, p, start, 40, 1);
    expect(tf.memory().numTensors).toBe(before);
    const want = reference(start, p.gradient, 40, 1, rho, epsilon);
    // float32 arithmetic over 40 steps: relative error well under 1e-4 of the weights' size.
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 4));
    const sgd = await train({ name: 'sgd' }, p, start, 40, 1);
    const gap = Math.max(...got.map((v, j) => Math.abs(v - sgd[j]!)));
    expect(gap).toBeGreaterThan(1e-2);
    tf.dispose(Object.values(p.tensors));
  });

  it('resumes from its saved slots exactly where an uninterrupted run would be', async () => {
    const p = problem('resume');
    const start = [0.5, 0.5, -0.5];
    const straight = await train(spec, p, start, 20, 0.5);
    const resumed = await train(spec, p, start, 20, 0.5, 9);
    expect(resumed).toEqual(straight);
    tf.dispose(Object.values(p.tensors));
  });

  it("defaults to TensorFlow 1.x's ρ = 0.95 and ε = 1e-8", async () => {
    // One step from zero averages: Δ = √ε / √((1 − ρ)g² + ε) · g, so ε sets the first step's size
    // (√10 apart between 1e-8 and TensorFlow.js's 1e-7); the reference is float64.
    const p = problem('defaults');
    const start = [0.3, -0.2, 0.1];
    const got = await train({ name: 'adadelta' }, p, start, 3, 1);
    const want = reference(start, p.gradient, 3, 1, ADADELTA_DEFAULTS.rho, ADADELTA_DEFAULTS.epsilon);
    const other = reference(start, p.gradient, 3, 1, ADADELTA_DEFAULTS.rho, 1e-7);
    // The steps are ~1e-4 in size: float32 keeps them to ~1e-7 relative to the weights.
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 6));
    expect(Math.max(...got.map((v, j) => Math.abs(v - other[j]!)))).toBeGreaterThan(1e-5);
    expect(ADADELTA_DEFAULTS).toEqual({ rho: 0.95, epsilon: 1e-8 });
    tf.dispose(Object.values(p.tensors));
  });

  it('refuses a bad rho or epsilon and slots that fit no variable', async () => {
    expect(() => createOptimizer({ name: 'adadelta', rho: 1 })).toThrow(ConfigError);
    expect(() => createOptimizer({ name: 'adadelta', epsilon: 0 })).toThrow(ConfigError);
    const w = tf.variable(tf.zeros([2]));
    const optimizer = createOptimizer({ name: 'adadelta' });
    await expect(optimizer.loadSlots([w], [{ name: 'accumulatedGrad/0', shape: [3], dtype: 'float32', values: new Float32Array(3) }])).rejects.toThrow(ShapeError);
    optimizer.dispose();
    w.dispose();
  });
});
