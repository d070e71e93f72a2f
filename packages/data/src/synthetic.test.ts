import { describe, it, expect } from 'vitest';
import { gaussianRegression, gaussianRegressionWithTeacher, teacherClassification, teacherClassificationWithTeacher } from './synthetic';

const small = { n: 200, testN: 50, inputDim: 12, classes: 4 };

describe('teacherClassification', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = teacherClassification({ ...small, seed: 7 });
    const b = teacherClassification({ ...small, seed: 7 });
    const c = teacherClassification({ ...small, seed: 8 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.y).toEqual(b.train.y);
    expect(a.test!.x).toEqual(b.test!.x);
    expect(a.train.x).not.toEqual(c.train.x);
    expect(a.train.y).not.toEqual(c.train.y);
  });

  it('labels each example with the argmax of the teacher, recomputed here in float64', () => {
    const { dataset, teacher } = teacherClassificationWithTeacher({ ...small, seed: 3 });
    const { inputDim, classes } = small;
    expect(teacher.weights.length).toBe(classes * inputDim);
    for (const split of [dataset.train, dataset.test!]) {
      expect(split.x.length).toBe(split.n * inputDim);
      for (let i = 0; i < split.n; i++) {
        const scores = Array.from({ length: classes }, (_, c) => {
          let s = 0;
          for (let j = 0; j < inputDim; j++) s += teacher.weights[c * inputDim + j]! * split.x[i * inputDim + j]!;
          return s;
        });
        expect(split.y[i]).toBe(scores.indexOf(Math.max(...scores)));
      }
    }
    // A degenerate teacher would put everything in one class.
    expect(new Set(dataset.train.y).size).toBe(classes);
  });

  it('keeps the teacher and test set when only n changes', () => {
    const a = teacherClassificationWithTeacher({ ...small, seed: 5 });
    const b = teacherClassificationWithTeacher({ ...small, n: 20, seed: 5 });
    expect(b.teacher.weights).toEqual(a.teacher.weights);
    expect(b.dataset.test!.y).toEqual(a.dataset.test!.y);
    expect(b.dataset.train.x).toEqual(a.dataset.train.x.subarray(0, 20 * small.inputDim));
  });
});

describe('gaussianRegression', () => {
  it('defaults to n = 100, d = 80 with a test split of the same size', () => {
    const data = gaussianRegression({ seed: 0 });
    expect(data.task).toBe('regression');
    expect(data.targetDim).toBe(1);
    expect(data.inputShape).toEqual([80]);
    expect(data.train.n).toBe(100);
    expect(data.test!.n).toBe(100);
    expect(data.train.y).toBeInstanceOf(Float32Array);
    expect(data.train.x.length).toBe(100 * 80);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = gaussianRegression({ n: 30, d: 10, noise: 0.1, seed: 1 });
    const b = gaussianRegression({ n: 30, d: 10, noise: 0.1, seed: 1 });
    const c = gaussianRegression({ n: 30, d: 10, noise: 0.1, seed: 2 });
    expect(a.train.y).toEqual(b.train.y);
    expect(a.test!.x).toEqual(b.test!.x);
    expect(a.train.y).not.toEqual(c.train.y);
  });

  it('without noise is exactly xᵀw* (up to float32 rounding), with noise it is not', () => {
    const clean = gaussianRegressionWithTeacher({ n: 40, d: 16, seed: 4 });
    const noisy = gaussianRegressionWithTeacher({ n: 40, d: 16, noise: 0.5, seed: 4 });
    const w = clean.teacher.weights;
    let maxCleanErr = 0;
    let maxNoisyErr = 0;
    for (let i = 0; i < 40; i++) {
      let s = 0;
      for (let j = 0; j < 16; j++) s += w[j]! * clean.dataset.train.x[i * 16 + j]!;
      maxCleanErr = Math.max(maxCleanErr, Math.abs(clean.dataset.train.y[i]! - Math.fround(s)));
      maxNoisyErr = Math.max(maxNoisyErr, Math.abs(noisy.dataset.train.y[i]! - s));
    }
    expect(maxCleanErr).toBe(0);
    expect(maxNoisyErr).toBeGreaterThan(0.1);
  });
});
