/**
 * How long any test, hook or awaited event may take before it counts as a hang — never a speed
 * budget. Tests check results, not time: on this project's 2-core machines, shared with other full
 * test runs (load ≈ 20), an in-process 8-cell sweep took over 2 minutes and a browser page over one
 * to get ready, so a tighter limit failed correct code. Only something stuck for 10 minutes fails.
 * vitest.config.ts makes it every project's test and hook timeout; waits on processes, files and
 * pages use it too, so nothing below it can fail a slow but correct test.
 */
export const HANG_CEILING_MS = 10 * 60_000;
