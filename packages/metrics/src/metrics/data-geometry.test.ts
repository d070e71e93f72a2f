import { createRng, MemorySink, train, activation, createModel, dense, serial, type Dataset } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { metricHooks } from '../hooks';
import { parseMetricSpecs } from '../metric-spec';
import { metricNeedsLoss } from '../registry';
import { dataGeometry, trainingInputs } from './data-geometry';

/** n points uniform on the unit sphere in d dimensions (normalised Gaussians). */
function sphere(n: number, d: number, seed: string): Float32Array {
  const x = new Float32Array(n * d);
  createRng(seed).fillNormal(x);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += x[i * d + k]! ** 2;
    for (let k = 0; k < d; k++) x[i * d + k]! /= Math.sqrt(s);
  }
  return x;
}

describe('data-geometry', () => {
  it('agrees with a direct double loop over all ordered pairs i ≠ j', () => {
    const n = 9;
    const d = 5;
    const x = new Float32Array(n * d);
    createRng('geometry').fillNormal(x);
    let max = 0;
    let sum = 0;
    let maxCos = 0;
    let norms = 0;
    for (let i = 0; i < n; i++) {
      const row = (r: number) => Array.from(x.subarray(r * d, (r + 1) * d));
      norms += row(i).reduce((s, v) => s + v * v, 0);
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const dot = row(i).reduce((s, v, k) => s + v * row(j)[k]!, 0);
        max = Math.max(max, Math.abs(dot));
        sum += Math.abs(dot);
        maxCos = Math.max(maxCos, Math.abs(dot) / Math.sqrt(row(i).reduce((s, v) => s + v * v, 0) * row(j).reduce((s, v) => s + v * v, 0)));
      }
    }
    const g = dataGeometry(x, n);
    expect(g.n).toBe(n);
    expect(g.d).toBe(d);
    expect(g.maxAbsInner).toBeCloseTo(max, 12);
    expect(g.meanAbsInner).toBeCloseTo(sum / (n * (n - 1)), 12);
    expect(g.maxAbsCosine).toBeCloseTo(maxCos, 12);
    expect(g.meanSquaredNorm).toBeCloseTo(norms / n, 12);
    expect(g.scale).toBeCloseTo(Math.sqrt(Math.log(n) / d), 14);
    expect(g.ratio).toBeCloseTo(max / Math.sqrt(Math.log(n) / d), 10);
    // Lemma B.1 at ν = bound gives exactly δ; at ν = maxAbsCosine it is the stated right-hand side.
    expect(n * n * Math.sqrt(Math.PI / 8) * Math.exp((-(d - 1) * g.bound ** 2) / 2)).toBeCloseTo(0.05, 12);
    expect(g.boundProbability).toBeCloseTo(n * n * Math.sqrt(Math.PI / 8) * Math.exp((-(d - 1) * maxCos ** 2) / 2), 10);
  });

  it('leaves out the diagonal: identical inputs are not orthogonal, orthonormal ones are', () => {
    const e = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(dataGeometry(e, 3)).toMatchObject({ maxAbsInner: 0, meanAbsInner: 0, meanSquaredNorm: 1, maxAbsCosine: 0 });
    expect(dataGeometry(new Float32Array([2, 0, 2, 0]), 2)).toMatchObject({ maxAbsInner: 4, maxAbsCosine: 1 });
  });

  it('on uniform unit vectors stays under the lemma’s ν at δ = 0.05', () => {
    const n = 200;
    const d = 500;
    const g = dataGeometry(sphere(n, d, 'lemma'), n);
    expect(g.meanSquaredNorm).toBeCloseTo(1, 5);
    expect(g.maxAbsInner).toBeLessThan(g.bound);
    expect(g.ratio).toBeGreaterThan(1);
    expect(g.ratio).toBeLessThan(4);
  });

  it('as a hook needs no loss and runs at the start of a run of 0 steps', async () => {
    const n = 30;
    const x = sphere(n, 6, 'hook');
    const data: Dataset = { name: 'sphere', inputShape: [6], task: 'regression', targetDim: 1, train: { x, y: new Float32Array(n), n } };
    const [spec] = parseMetricSpecs([{ name: 'data-geometry', n: 20 }]);
    expect(spec).toMatchObject({ start: true, end: false, seed: 0, delta: 0.05 });
    expect(metricNeedsLoss(spec!)).toBe(false);
    const model = createModel(serial(dense({ units: 3 }), activation('tanh'), dense({ units: 1 })), { inputShape: [6], seed: 0 });
    const sink = new MemorySink();
    await train(model, data, { steps: 0, batchSize: 4, loss: 'square', schedule: { kind: 'constant', lr: 0.1 }, seed: 0 }, { hooks: metricHooks([spec!], data), sinks: [sink] });
    const [record] = sink.ofKind('data-geometry');
    expect(record).toMatchObject({ step: 0, n: 20, d: 6 });
    expect(record!.maxAbsInner).toBeCloseTo(dataGeometry(trainingInputs(data, 20, 0), 20).maxAbsInner, 14);
    expect(() => metricHooks(parseMetricSpecs([{ name: 'data-geometry', n: 31 }]), data)).toThrow(/metrics\.0\.n: 31 exceeds the 30/);
    model.dispose();
  });
});
