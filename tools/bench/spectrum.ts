/**
 * Suite `spectrum`: seconds to find every eigenvalue of a symmetric n×n Gram in float64
 * (metrics' `symmetricEigenvalues`: blocked Householder tridiagonalization and QL). This runs in plain JS whatever the tensor
 * backend, so it is measured once, on the first backend the bench visits.
 */
import { createRng } from '@overparam/core';
import { symmetricEigenvalues } from '@overparam/metrics';
import { emitMeasurement } from './emit';
import { summarize, timeSeconds } from './measure';
import type { Suite } from './suite';

const SUITE = 'spectrum';
let measured = false;

/** A random positive semi-definite Gram A·Aᵀ with A of size n×(n + 8), like a Gram of n gradients. */
export function randomGram(n: number): Float64Array {
  const k = n + 8;
  const rng = createRng(`spectrum-${n}`);
  const a = new Float64Array(n * k);
  rng.fillNormal(a);
  const g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * a[j * k + t]!;
      g[i * n + j] = s;
      g[j * n + i] = s;
    }
  }
  return g;
}

export const spectrumSuite: Suite = {
  name: SUITE,
  description: 'float64 eigenvalues of a symmetric Gram (n = 256, 512, 1024)',
  async run(context) {
    if (measured) return;
    measured = true;
    const sizes = context.settings.quick ? [256] : [256, 512, 1024];
    for (const n of sizes) {
      const matrix = randomGram(n);
      // n = 1024 took ~10 s a call with the unblocked reduction, so it gets fewer repetitions than the rest.
      const reps = n >= 1024 ? Math.min(3, context.settings.reps) : context.settings.reps;
      // One untimed call first, as every measurement here has (README, "How a measurement is taken"):
      // V8 optimizes the kernels, and deoptimizes them once per branch first seen late, during the
      // first few calls (n = 256: 0.2, 0.1, 0.08, 0.06 s of CPU, then 0.013 s a call).
      symmetricEigenvalues({ size: n, matrix });
      const samples: number[] = [];
      for (let r = 0; r < reps; r++) samples.push(await timeSeconds(async () => void symmetricEigenvalues({ size: n, matrix })));
      emitMeasurement({ suite: SUITE, name: 'symmetric-eigenvalues', backend: 'js-float64', unit: 's', ...summarize(samples), n, library: 'overparam', note: reps < context.settings.reps ? `${reps} repetitions` : null });
    }
  },
};
