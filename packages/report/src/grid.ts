/**
 * Whether swept values read best on a log axis: at least three distinct positive values, spread
 * over at least a factor of 8, with near-constant ratios between neighbours (a geometric grid such
 * as widths 16, 64, 256 or learning rates 0.01, 0.1, 1). Depths 1, 2, 3, 4 stay linear.
 */
export function isLogarithmicGrid(values: readonly number[]): boolean {
  const xs = [...new Set(values)].sort((a, b) => a - b);
  if (xs.length < 3 || xs[0]! <= 0) return false;
  if (xs[xs.length - 1]! / xs[0]! < 8) return false;
  const ratios = xs.slice(1).map((x, i) => Math.log(x / xs[i]!));
  const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
  // Hand-written grids round their values (0.03 next to 0.1 and 0.3): allow 35% spread in the log steps.
  return ratios.every((r) => Math.abs(r - mean) <= 0.35 * mean);
}
