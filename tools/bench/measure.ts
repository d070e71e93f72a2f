/**
 * The timing harness. A repetition is one call that does `steps` units of work and has read a
 * value back from the backend before it resolves, so the clock covers finished work, not queued
 * work. Rates are computed per repetition and summarized by median, min and max.
 */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly reps: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, reps: sorted.length };
}

/** Seconds taken by `fn`, which must itself wait for the backend (read a value back). */
export async function timeSeconds(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/** Runs `run(steps)` once untimed, then `reps` timed times; returns steps per second. */
export async function measureRate(run: (steps: number) => Promise<void>, steps: number, reps: number, warmups = 1): Promise<Summary> {
  for (let i = 0; i < warmups; i++) await run(steps);
  const rates: number[] = [];
  for (let i = 0; i < reps; i++) rates.push(steps / (await timeSeconds(() => run(steps))));
  return summarize(rates);
}

/** Rounds down to 1, 2, 3 or 5 times a power of ten, so step counts stay readable and stable. */
export function niceFloor(n: number): number {
  if (n < 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [5, 3, 2, 1]) if (m * p <= n) return m * p;
  return p;
}

export interface Calibration {
  /** Steps per repetition chosen so that one repetition takes about `targetSeconds`. */
  readonly steps: number;
  /** Seconds per step seen in the last calibration call. */
  readonly secondsPerStep: number;
}

/**
 * Picks the steps per repetition. The first call (`minSteps` steps) absorbs one-time costs such as kernel
 * compilation and is not used; later calls grow until they last long enough to time reliably.
 * These calls double as the warm-up of the measurement that follows.
 */
export async function calibrateSteps(run: (steps: number) => Promise<void>, options: { targetSeconds: number; minSteps: number; maxSteps: number }): Promise<Calibration> {
  let steps = Math.min(options.minSteps, options.maxSteps);
  const cold = await timeSeconds(() => run(steps));
  // A cold call already this long means even the smallest repetition is long enough (big models on cpu).
  if (cold >= options.targetSeconds) return { steps, secondsPerStep: cold / steps };
  for (;;) {
    const seconds = await timeSeconds(() => run(steps));
    const perStep = seconds / steps;
    const enough = seconds >= options.targetSeconds / 5 || steps >= options.maxSteps;
    if (enough) {
      const chosen = niceFloor(options.targetSeconds / Math.max(perStep, 1e-9));
      return { steps: Math.min(options.maxSteps, Math.max(options.minSteps, chosen)), secondsPerStep: perStep };
    }
    steps = Math.min(options.maxSteps, Math.max(steps * 2, Math.ceil((options.targetSeconds / 5 / Math.max(perStep, 1e-9)) * 1.2)));
  }
}
