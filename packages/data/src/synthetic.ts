import { createRng, type Dataset, type Rng, type Split } from '@overparam/core';

export interface TeacherClassificationOptions {
  readonly n: number;
  readonly testN: number;
  readonly inputDim: number;
  readonly classes: number;
  readonly seed: number;
}

/** The linear teacher behind a synthetic set, row-major [rows, inputDim], float64. */
export interface LinearTeacher {
  readonly weights: Float64Array;
  readonly rows: number;
  readonly inputDim: number;
}

/**
 * Inputs x ~ N(0, I) and labels argmax_c (W x)_c for a Gaussian teacher W: a classification
 * problem that a linear model can fit exactly, of any size, at no download cost.
 */
export function teacherClassificationWithTeacher(options: TeacherClassificationOptions): { dataset: Dataset; teacher: LinearTeacher } {
  const { n, testN, inputDim, classes, seed } = options;
  const rng = createRng(seed);
  // Separate streams, so that asking for more training examples leaves the teacher and the test
  // set as they were.
  const teacher = gaussianTeacher(rng.fork('teacher'), classes, inputDim, 1);
  const split = (count: number, label: string): Split => {
    const x = normalInputs(rng.fork(label), count, inputDim);
    const y = new Int32Array(count);
    const scores = new Float64Array(classes);
    for (let i = 0; i < count; i++) {
      applyTeacher(teacher, x, i, scores);
      let best = 0;
      for (let c = 1; c < classes; c++) if (scores[c]! > scores[best]!) best = c;
      y[i] = best;
    }
    return { x, y, n: count };
  };
  const dataset: Dataset = {
    name: 'synthetic',
    inputShape: [inputDim],
    task: 'classification',
    numClasses: classes,
    train: split(n, 'train'),
    test: split(testN, 'test'),
    description: `argmax of a random linear teacher on N(0, I) inputs (seed ${seed})`,
  };
  return { dataset, teacher };
}

export function teacherClassification(options: TeacherClassificationOptions): Dataset {
  return teacherClassificationWithTeacher(options).dataset;
}

export interface GaussianRegressionOptions {
  readonly n?: number;
  readonly d?: number;
  readonly noise?: number;
  readonly seed: number;
}

/**
 * y = xᵀw* + noise·ε with x ~ N(0, I), w* ~ N(0, I/d) (so Var y ≈ 1 + noise² whatever d is) and
 * ε ~ N(0, 1): the over/under-parameterised least-squares problem. The test split has n examples too.
 */
export function gaussianRegressionWithTeacher(options: GaussianRegressionOptions): { dataset: Dataset; teacher: LinearTeacher } {
  const { n = 100, d = 80, noise = 0, seed } = options;
  const rng = createRng(seed);
  const teacher = gaussianTeacher(rng.fork('teacher'), 1, d, 1 / Math.sqrt(d));
  const split = (label: string): Split => {
    const stream = rng.fork(label);
    const x = normalInputs(stream, n, d);
    const y = new Float32Array(n);
    const out = new Float64Array(1);
    for (let i = 0; i < n; i++) {
      applyTeacher(teacher, x, i, out);
      y[i] = out[0]! + noise * stream.normal();
    }
    return { x, y, n };
  };
  const dataset: Dataset = {
    name: 'gaussian-regression',
    inputShape: [d],
    task: 'regression',
    targetDim: 1,
    train: split('train'),
    test: split('test'),
    description: `linear teacher on N(0, I) inputs, d = ${d}, noise ${noise} (seed ${seed})`,
  };
  return { dataset, teacher };
}

export function gaussianRegression(options: GaussianRegressionOptions): Dataset {
  return gaussianRegressionWithTeacher(options).dataset;
}

function gaussianTeacher(rng: Rng, rows: number, inputDim: number, std: number): LinearTeacher {
  const weights = new Float64Array(rows * inputDim);
  rng.fillNormal(weights, std);
  return { weights, rows, inputDim };
}

function normalInputs(rng: Rng, count: number, dim: number): Float32Array {
  const x = new Float32Array(count * dim);
  rng.fillNormal(x);
  return x;
}

/** Scores of example `i` in float64, from the float32 inputs the data set actually holds. */
function applyTeacher(teacher: LinearTeacher, x: Float32Array, i: number, out: Float64Array): void {
  const { weights, rows, inputDim } = teacher;
  const base = i * inputDim;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < inputDim; j++) s += weights[r * inputDim + j]! * x[base + j]!;
    out[r] = s;
  }
}
