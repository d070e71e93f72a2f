import { ConfigError, resolveLoss, type Dataset, type Hook, type Loss, type LossSpec, type Split } from '@overparam/core';
import { Matrix, solve } from 'ml-matrix';

/**
 * The smallest training loss a linear model x ↦ Wx (no bias, as Arora et al.'s (2018) linear nets) can reach:
 * the offset Arora et al.'s (2018) convergence plots subtract (appendix C.1), so that "loss − optimum" on a
 * log axis shows the rate of convergence. Every depth of a linear net shares it: W_e ranges over
 * the same matrices.
 */
export interface OptimalLoss {
  /** min_W (1/n) Σ_i ℓ(W x_i, y_i), float64. */
  readonly value: number;
  /** The minimizer W, k × d, row-major. */
  readonly weights: Float64Array;
  /** ‖∇L(W)‖₂ at the returned W (0 up to rounding for least squares). */
  readonly gradientNorm: number;
  readonly method: 'least-squares' | 'newton';
  /** Newton iterations over all outputs (0 for least squares). */
  readonly iterations: number;
}

export interface OptimalLossOptions {
  /** Newton stops when ‖∇L‖ ≤ tolerance · ‖∇L(W_ls)‖ at its least-squares start. Default 1e-10. */
  readonly tolerance?: number;
  /** Default 200. */
  readonly maxIterations?: number;
}

/** The exponent of a loss that is (1/p)(ŷ − y)^p per output: `square` is p = 2. */
function exponentOf(loss: Loss): number {
  if (loss.p !== undefined) return loss.p;
  if (loss.name === 'square') return 2;
  throw new ConfigError('loss', `the optimal linear loss is defined for 'square' and 'lp' (real targets), not '${loss.name}'`);
}

function designMatrices(data: Pick<Dataset, 'inputShape' | 'targetDim' | 'task'>, split: Split): { x: Matrix; y: Matrix } {
  if (data.task !== 'regression') throw new ConfigError('data', 'the optimal linear loss needs a regression data set (real targets)');
  const d = data.inputShape.reduce((a, b) => a * b, 1);
  const k = data.targetDim ?? 1;
  return { x: Matrix.from1DArray(split.n, d, Float64Array.from(split.x)), y: Matrix.from1DArray(split.n, k, Float64Array.from(split.y)) };
}

/** (1/n) Σ_i (1/p) r_i^p, its gradient (1/n) Σ_i r_i^{p−1} x_i and Hessian ((p−1)/n) Σ_i r_i^{p−2} x_i x_iᵀ for one output. */
function lpParts(x: Matrix, y: readonly number[], w: Float64Array, p: number, withHessian: boolean): { value: number; grad: Float64Array; hessian?: Matrix } {
  const n = x.rows;
  const d = x.columns;
  let value = 0;
  const grad = new Float64Array(d);
  const hessian = withHessian ? Matrix.zeros(d, d) : undefined;
  for (let i = 0; i < n; i++) {
    const row = x.getRow(i);
    let r = -y[i]!;
    for (let j = 0; j < d; j++) r += row[j]! * w[j]!;
    value += r ** p / p;
    const g = r ** (p - 1);
    const h = (p - 1) * r ** (p - 2);
    for (let j = 0; j < d; j++) {
      grad[j]! += (g * row[j]!) / n;
      if (hessian !== undefined) for (let l = 0; l <= j; l++) hessian.set(j, l, hessian.get(j, l) + (h * row[j]! * row[l]!) / n);
    }
  }
  if (hessian !== undefined) for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) hessian.set(l, j, hessian.get(j, l));
  return { value: value / n, grad, hessian };
}

const norm = (v: ArrayLike<number>): number => Math.sqrt(Array.from(v).reduce((s, a) => s + a * a, 0));

/**
 * Newton's method with a backtracking (Armijo) line search on one output's ℓp objective, from
 * the least-squares solution. The objective is a convex polynomial with closed-form gradient and
 * Hessian, so Newton converges in a handful of steps where it is strongly convex and linearly
 * (factor (p − 2)/(p − 1)) where residuals vanish; a ridge of size ε·tr(H) keeps the solve defined.
 */
function newtonLp(x: Matrix, y: readonly number[], start: Float64Array, p: number, options: Required<OptimalLossOptions>): { w: Float64Array; value: number; gradNorm: number; iterations: number } {
  let w = Float64Array.from(start);
  let parts = lpParts(x, y, w, p, true);
  const stopAt = options.tolerance * Math.max(norm(parts.grad), Number.MIN_VALUE);
  let iterations = 0;
  while (iterations < options.maxIterations && norm(parts.grad) > stopAt) {
    iterations++;
    const h = parts.hessian!;
    const ridge = 1e-14 * Math.max(h.trace(), Number.MIN_VALUE);
    for (let j = 0; j < h.rows; j++) h.set(j, j, h.get(j, j) + ridge);
    const step = solve(h, Matrix.columnVector(Array.from(parts.grad, (g) => -g))).to1DArray();
    const slope = step.reduce((s, v, j) => s + v * parts.grad[j]!, 0);
    let t = 1;
    let next = parts;
    let candidate = w;
    for (; t > 1e-12; t /= 2) {
      candidate = Float64Array.from(w, (v, j) => v + t * step[j]!);
      next = lpParts(x, y, candidate, p, true);
      if (next.value <= parts.value + 1e-4 * t * slope) break;
    }
    if (next.value > parts.value) break; // no descent left at float64 resolution
    const stalled = parts.value - next.value <= 1e-16 * Math.abs(parts.value);
    w = candidate;
    parts = next;
    if (stalled) break;
  }
  return { w, value: parts.value, gradNorm: norm(parts.grad), iterations };
}

/**
 * The optimum of `loss` ('square', or lp with even p) over linear maps on a regression split: for
 * p = 2 least squares in closed form (ml-matrix's SVD-based solve, which also handles rank-deficient
 * inputs), for p > 2 Newton's method per output from the least-squares solution. Arora et al. (2018) used
 * scipy's BFGS for ℓ4; JavaScript has no maintained general minimizer (`fmin` and `numeric` are
 * unreleased since 2017 and 2012), and with the exact Hessian at hand Newton is the better method.
 */
export function optimalLinearLoss(data: Pick<Dataset, 'inputShape' | 'targetDim' | 'task' | 'train'>, lossSpec: LossSpec | Loss, options: OptimalLossOptions & { readonly split?: Split } = {}): OptimalLoss {
  const p = exponentOf(resolveLoss(lossSpec));
  const { x, y } = designMatrices(data, options.split ?? data.train);
  const n = x.rows;
  const d = x.columns;
  const k = y.columns;
  const leastSquares = solve(x, y, true); // d × k
  const weights = new Float64Array(k * d);
  if (p === 2) {
    const residual = x.mmul(leastSquares).sub(y);
    const value = residual.to1DArray().reduce((s, r) => s + r * r, 0) / (2 * n);
    const grad = x.transpose().mmul(residual).div(n);
    for (let o = 0; o < k; o++) for (let j = 0; j < d; j++) weights[o * d + j] = leastSquares.get(j, o);
    return { value, weights, gradientNorm: norm(grad.to1DArray()), method: 'least-squares', iterations: 0 };
  }
  const o2: Required<OptimalLossOptions> = { tolerance: options.tolerance ?? 1e-10, maxIterations: options.maxIterations ?? 200 };
  let value = 0;
  let gradSq = 0;
  let iterations = 0;
  for (let o = 0; o < k; o++) {
    const r = newtonLp(x, y.getColumn(o), Float64Array.from(leastSquares.getColumn(o)), p, o2);
    weights.set(r.w, o * d);
    value += r.value;
    gradSq += r.gradNorm ** 2;
    iterations += r.iterations;
  }
  return { value, weights, gradientNorm: Math.sqrt(gradSq), method: 'newton', iterations };
}

/**
 * loss − optimum for each logged loss, what Arora et al.'s (2018) plots put on a log axis. Values at or
 * below 0 (a float32 training loss can round under the float64 optimum) are null: they have no
 * place on a log axis and saying so beats clamping them to an invented small number.
 */
export function excessLoss(losses: readonly number[], optimum: number): Array<number | null> {
  return losses.map((l) => (l - optimum > 0 ? l - optimum : null));
}

/** The record kind the optimum is written under (its `optimum` field is the offset). */
export const OPTIMAL_LOSS_RECORD = 'optimal-loss';

/**
 * The optimum as a training hook (record kind `optimal-loss`), written once at the start so a
 * run's records carry the offset its figure subtracts: `optimum`, `method`, `iterations`,
 * `gradientNorm`. Computed for the run's own loss on its training split.
 */
export function optimalLossHook(): Hook {
  return {
    name: OPTIMAL_LOSS_RECORD,
    schedule: { atStart: true },
    run(ctx) {
      const o = optimalLinearLoss(ctx.data, ctx.loss);
      return { optimum: o.value, method: o.method, iterations: o.iterations, gradientNorm: o.gradientNorm };
    },
  };
}
