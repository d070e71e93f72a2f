import { fmt, groupBy, judgedRuns, mean } from './criteria';
import type { CellResult, CriterionResult, Verdict } from './preset';

/**
 * Judging a claim against seed-to-seed noise. A trend or a comparison passes or fails only when
 * its effect clears `NOISE_MARGIN` standard errors estimated from at least `MIN_SEEDS` seeds per
 * setting; otherwise it is `inconclusive`, and the criterion says by how much it missed.
 *
 * The rule for a trend. Spearman's ρ over 3–6 settings cannot carry a noise margin: with 4
 * settings every ρ is a multiple of 0.2 and a single swapped pair moves it by 0.4, whatever the
 * spread between seeds. Instead we fit, by least squares over every run (not the settings' means),
 * the line of the quantity against log₁₀ of the swept size (the papers sweep depths and widths on
 * a log scale), and take the ordinary standard error of its slope. The residuals then hold both
 * the seed-to-seed spread and any curvature, so a trend buried in either is not claimed. |slope|
 * > 2 SE is about a two-sided 5 % test (Student's t with n − 2 ≥ 7 degrees of freedom needs
 * 2.36; the issue asks for "about two standard errors", and we state the ratio so a reader can
 * apply a stricter one).
 */

/** How many standard errors an effect must clear to be judged. */
export const NOISE_MARGIN = 2;
/** Seeds each setting needs before its noise can be estimated at all. */
export const MIN_SEEDS = 3;

export type Direction = 'rises' | 'falls';

/** Mean, sample standard deviation and standard error of the mean (NaN spread with fewer than 2 values). */
export function meanAndError(values: readonly number[]): { mean: number; sd: number; standardError: number; n: number } {
  const n = values.length;
  const m = mean(values);
  const sd = n < 2 ? Number.NaN : Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  return { mean: m, sd, standardError: sd / Math.sqrt(n), n };
}

/**
 * The verdict on an effect whose claimed sign is `direction` (`rises`: positive): pass beyond
 * +margin standard errors, fail beyond −margin, inconclusive in between or without an error.
 */
export function judgeEffect(effect: number, standardError: number, direction: Direction): Verdict {
  if (!Number.isFinite(effect) || !Number.isFinite(standardError)) return 'inconclusive';
  const signed = direction === 'rises' ? effect : -effect;
  // Strict inequalities: a zero effect is inconclusive even with a zero error (identical seeds).
  if (signed > NOISE_MARGIN * standardError) return 'pass';
  if (-signed > NOISE_MARGIN * standardError) return 'fail';
  return 'inconclusive';
}

/** One swept setting's values, one per run (seed). */
export interface SettingValues {
  readonly x: number;
  readonly values: readonly number[];
}

/**
 * The least-squares slope of y against log₁₀ x over every (x, y) pair, with the ordinary standard
 * error √(Σ residual² / (n − 2) / Σ (u − ū)²), u = log₁₀ x. NaN error with fewer than 3 runs or one x.
 */
export function logSlope(settings: readonly SettingValues[]): { slope: number; standardError: number; runs: number } {
  const pairs = settings.flatMap((s) => s.values.map((y) => [Math.log10(s.x), y] as const));
  const n = pairs.length;
  if (n < 2) return { slope: Number.NaN, standardError: Number.NaN, runs: n };
  const uBar = mean(pairs.map(([u]) => u));
  const yBar = mean(pairs.map(([, y]) => y));
  const suu = pairs.reduce((s, [u]) => s + (u - uBar) ** 2, 0);
  if (suu === 0) return { slope: Number.NaN, standardError: Number.NaN, runs: n };
  const slope = pairs.reduce((s, [u, y]) => s + (u - uBar) * (y - yBar), 0) / suu;
  const residual = pairs.reduce((s, [u, y]) => s + (y - yBar - slope * (u - uBar)) ** 2, 0);
  return { slope, standardError: n > 2 ? Math.sqrt(residual / (n - 2) / suu) : Number.NaN, runs: n };
}

/** Per value of `path` (numeric, ascending), the numbers `read` gives for its cells. */
export function settingValues(cells: readonly CellResult[], path: string, read: (cell: CellResult) => number | undefined): SettingValues[] {
  const out: SettingValues[] = [];
  for (const [x, group] of groupBy(cells, path)) {
    const values = group.map(read).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (typeof x === 'number' && values.length > 0) out.push({ x, values });
  }
  return out.sort((a, b) => a.x - b.x);
}

/** `mean ± SE (n)` of one setting, for a criterion's measured column. */
export function describeSetting(values: readonly number[]): string {
  const { mean: m, standardError, n } = meanAndError(values);
  if (n === 0) return 'no run';
  return n < 2 ? `${fmt(m)} (1 run)` : `${fmt(m)} ± ${fmt(standardError)} (${n})`;
}

export interface TrendOptions {
  readonly name: string;
  readonly cells: readonly CellResult[];
  /** The swept size's config path; its values must be positive (the fit is on their logarithm). */
  readonly path: string;
  readonly read: (cell: CellResult) => number | undefined;
  readonly direction: Direction;
  /** What the settings are called in the measured column, e.g. `β`. */
  readonly symbol: string;
  readonly figure?: string;
  /** Appended to the measured column (e.g. how many cells were left out as not trained). */
  readonly note?: string;
  /**
   * Runs left out of `cells` before as not trained: when they were all, nothing measured is a
   * result, not a failure; the figure says how many it leaves out.
   */
  readonly notTrained?: readonly CellResult[];
}

/** The slope of a trend and whether it clears the noise, as the measured text and a verdict. */
export function trendVerdict(settings: readonly SettingValues[], direction: Direction): { verdict: Verdict; slope: number; standardError: number; why?: string } {
  const fit = logSlope(settings);
  if (settings.length < 3) return { verdict: 'inconclusive', ...fit, why: `only ${settings.length} setting${settings.length === 1 ? '' : 's'} measured; a trend needs 3` };
  const fewest = Math.min(...settings.map((s) => s.values.length));
  if (fewest < MIN_SEEDS) return { verdict: 'inconclusive', ...fit, why: `${fewest} run${fewest === 1 ? '' : 's'} at some setting; the noise needs ${MIN_SEEDS} seeds per setting` };
  return { verdict: judgeEffect(fit.slope, fit.standardError, direction), ...fit };
}

/**
 * A trend criterion with a noise margin: the slope of `read` against log₁₀ of the value at `path`
 * must have the claimed sign beyond `NOISE_MARGIN` standard errors. Fails when nothing was
 * measured (a broken pipeline); inconclusive with fewer than 3 settings or `MIN_SEEDS` seeds.
 */
export function seedTrendCriterion(options: TrendOptions): CriterionResult {
  const settings = settingValues(options.cells, options.path, options.read);
  const expected = `slope against log₁₀ ${options.symbol} ${options.direction === 'rises' ? '>' : '<'} 0 by more than ${NOISE_MARGIN} SE over ≥ ${MIN_SEEDS} seeds`;
  // The figure draws the runs judged here, not every run of the sweep.
  const figure = options.figure !== undefined ? { figure: options.figure, runs: judgedRuns(options.cells, options.notTrained) } : {};
  const note = options.note !== undefined ? `; ${options.note}` : '';
  if (settings.length === 0) {
    const allExcluded = options.cells.length === 0 && (options.notTrained ?? []).length > 0;
    return { name: options.name, verdict: allExcluded ? 'inconclusive' : 'fail', measured: `${allExcluded ? 'no run left to measure' : 'not measured in any run'}${note}`, expected, ...figure };
  }
  const { verdict, slope, standardError, why } = trendVerdict(settings, options.direction);
  const perSetting = settings.map((s) => `${options.symbol} ${s.x}: ${describeSetting(s.values)}`).join(', ');
  const fit = Number.isFinite(standardError) ? `slope ${fmt(slope)} ± ${fmt(standardError)} per decade (${fmt(slope / standardError)} SE)` : `slope ${fmt(slope)} per decade`;
  return { name: options.name, verdict, measured: `${fit}${why !== undefined ? ` — ${why}` : ''}; ${perSetting}${note}`, expected, ...figure };
}

/**
 * The difference of two groups' means (a − b) with Welch's standard error √(s_a²/n_a + s_b²/n_b),
 * judged like a trend: `direction` `rises` claims a above b. Inconclusive with fewer than
 * `MIN_SEEDS` values on a side.
 */
export function compareGroups(a: readonly number[], b: readonly number[], direction: Direction): { verdict: Verdict; difference: number; standardError: number; why?: string } {
  const ea = meanAndError(a);
  const eb = meanAndError(b);
  const difference = ea.mean - eb.mean;
  const standardError = Math.sqrt(ea.standardError ** 2 + eb.standardError ** 2);
  if (Math.min(a.length, b.length) < MIN_SEEDS) return { verdict: 'inconclusive', difference, standardError, why: `${Math.min(a.length, b.length)} runs on a side; the noise needs ${MIN_SEEDS}` };
  return { verdict: judgeEffect(difference, standardError, direction), difference, standardError };
}

/**
 * Whether trend `a` rises faster with the swept size than trend `b` (`rises`) or slower
 * (`falls`): the difference of their log-slopes with standard error √(SE_a² + SE_b²), the two
 * fits being independent runs. Inconclusive unless both have 3 settings of `MIN_SEEDS` seeds.
 */
export function compareTrends(a: readonly SettingValues[], b: readonly SettingValues[], direction: Direction): { verdict: Verdict; difference: number; standardError: number; why?: string } {
  const fa = logSlope(a);
  const fb = logSlope(b);
  const difference = fa.slope - fb.slope;
  const standardError = Math.sqrt(fa.standardError ** 2 + fb.standardError ** 2);
  const short = [a, b].map((s) => trendVerdict(s, 'rises').why).find((why) => why !== undefined);
  if (short !== undefined) return { verdict: 'inconclusive', difference, standardError, why: short };
  return { verdict: judgeEffect(difference, standardError, direction), difference, standardError };
}

/**
 * The mean of `values` against a fixed `bound`: `rises` claims the mean above it, `falls` below,
 * judged like a comparison (beyond `NOISE_MARGIN` standard errors of the mean). For a claim about
 * one group against a threshold the paper states or implies (a loss that stays above half its
 * start, a slope below 0). Inconclusive with fewer than `MIN_SEEDS` values.
 */
export function compareToBound(values: readonly number[], bound: number, direction: Direction): { verdict: Verdict; mean: number; standardError: number; why?: string } {
  const { mean: m, standardError, n } = meanAndError(values);
  if (n < MIN_SEEDS) return { verdict: 'inconclusive', mean: m, standardError, why: `${n} run${n === 1 ? '' : 's'}; the noise needs ${MIN_SEEDS}` };
  return { verdict: judgeEffect(m - bound, standardError, direction), mean: m, standardError };
}

/**
 * An equivalence judgement: is `effect` (a slope that a claim says is 0) within ±`bound`? Pass
 * when the whole interval effect ± `NOISE_MARGIN`·SE lies inside the bound, fail when it lies
 * wholly outside, inconclusive when it straddles an edge or has no error. "No significant trend"
 * alone never passes: a noisy flat line must also be a narrow one.
 */
export function judgeWithin(effect: number, standardError: number, bound: number): Verdict {
  if (!Number.isFinite(effect) || !Number.isFinite(standardError)) return 'inconclusive';
  const size = Math.abs(effect);
  if (size + NOISE_MARGIN * standardError < bound) return 'pass';
  if (size - NOISE_MARGIN * standardError > bound) return 'fail';
  return 'inconclusive';
}

/**
 * P(X ≥ k) for X ~ Binomial(n, p): how surprising k exceedances of a tail bound are in n draws
 * when each exceeds it with probability p. Summed term by term from the mode-free recurrence
 * P(X = i + 1) = P(X = i)·(n − i)/(i + 1)·p/(1 − p), exact enough for n in the thousands.
 */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  let term = (1 - p) ** n;
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
}
