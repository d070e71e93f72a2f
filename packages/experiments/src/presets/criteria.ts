import { linearRegression, mean as ssMean, sampleRankCorrelation } from 'simple-statistics';
import { canonicalJson } from '../sweep/sweep';
import { runsAtPickedRates } from '../results/picked-rates';
import { firstValue, lastValue, numberField, recordsOf, settingOf } from '../results/records';
import type { CellResult, CriterionResult, JudgedRuns, PresetResults, SweepResult, Verdict } from './preset';

/**
 * Small, tested pieces the presets' criteria are made of: reading a number out of a run, grouping
 * runs by a swept key, trends (Spearman's rank correlation, least-squares slopes), and a
 * criterion that fails plainly when the runs it needs are missing.
 */

/** A plain yes/no judgement as a verdict (a check with no noise to weigh: a count, a bound met by every run). */
export function passIf(ok: boolean): Verdict {
  return ok ? 'pass' : 'fail';
}

/** The sweep of `key`, or an error naming the keys there are (a preset bug, not a user's). */
/**
 * The id the report gives figure `id` of sweep `key`, for a criterion to name: a report of several
 * sweeps draws each in its own section, its figure ids prefixed with the sweep's key
 * (@overparam/report's writeReport); a report of one sweep keeps the catalogue's id.
 */
export function sectionFigure(results: PresetResults, key: string, id: string): string {
  return Object.keys(results).length > 1 ? `${key}-${id}` : id;
}

export function sweepOf(results: PresetResults, key: string): SweepResult {
  const sweep = results[key];
  if (sweep === undefined) throw new Error(`preset criteria ask for sweep '${key}', but the results hold ${Object.keys(results).join(', ')}`);
  return sweep;
}

// The record accessors are the results layer's, shared with the report's figures.
export { firstValue, lastValue, numberField, recordsOf, settingOf };

/** Last over first value of `field` of `kind` records (final over initial loss); undefined without both or when the first is ≤ 0. */
export function lossRatio(cell: CellResult, kind = 'full-loss', field = 'loss'): number | undefined {
  const first = firstValue(cell, kind, field);
  const last = lastValue(cell, kind, field);
  return first === undefined || last === undefined || first <= 0 ? undefined : last / first;
}

/** Cells that ran to the end (diverged and failed ones are left out of trends). */
export function completed(cells: readonly CellResult[]): CellResult[] {
  return cells.filter((c) => c.status === 'completed');
}

/**
 * The completed cells of a sweep that searched its learning rate, at the rate its rule picked for
 * each grid point (the runs a paper plots); every completed cell when the sweep fixed the rate. A
 * grid point whose rule picked nothing (no rate was eligible) contributes no cells.
 */
export function atPickedRates(sweep: SweepResult): CellResult[] {
  const cells = completed(sweep.cells);
  return sweep.lrPicks === undefined ? cells : runsAtPickedRates(cells, sweep.lrPicks);
}

/** Groups cells by their value at `path`, in first-seen order. */
export function groupBy(cells: readonly CellResult[], path: string): Map<unknown, CellResult[]> {
  const groups = new Map<unknown, CellResult[]>();
  for (const cell of cells) {
    const key = settingOf(cell, path);
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  return groups;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : ssMean([...values]);
}

/** Spearman's rank correlation; NaN with fewer than 3 points or a constant side. */
export function rankCorrelation(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new RangeError(`rank correlation of ${xs.length} x values and ${ys.length} y values`);
  if (xs.length < 3 || new Set(xs).size < 2 || new Set(ys).size < 2) return Number.NaN;
  return sampleRankCorrelation([...xs], [...ys]);
}

/** Least-squares line through (x, y). */
export function fitLine(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number } {
  if (xs.length < 2) return { slope: Number.NaN, intercept: Number.NaN };
  const { m, b } = linearRegression(xs.map((x, i) => [x, ys[i]!]));
  return { slope: m, intercept: b };
}

/** Per value of `path`, the mean of `read` over the cells that give a number; sorted by the (numeric) value. */
export function trend(cells: readonly CellResult[], path: string, read: (cell: CellResult) => number | undefined): Array<{ x: number; y: number; runs: number }> {
  const points: Array<{ x: number; y: number; runs: number }> = [];
  for (const [x, group] of groupBy(cells, path)) {
    const values = group.map(read).filter((v): v is number => v !== undefined);
    if (typeof x === 'number' && values.length > 0) points.push({ x, y: mean(values), runs: values.length });
  }
  return points.sort((a, b) => a.x - b.x);
}

/** Three significant digits, in the way the report's tables print numbers. */
export function fmt(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return 'n/a';
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

/** `x₁: y₁, x₂: y₂, …` for a criterion's measured column. */
export function describeTrend(points: ReadonlyArray<{ x: number; y: number }>, label: string): string {
  return `${label} ${points.map((p) => `${p.x}: ${fmt(p.y)}`).join(', ')}`;
}

/**
 * A trend criterion: Spearman's ρ of `read` against the value at `path` must have the claimed
 * sign (and at least `minimum` in size). Fails, saying so, when fewer than three settings have numbers.
 */
export function trendCriterion(options: {
  name: string;
  cells: readonly CellResult[];
  path: string;
  read: (cell: CellResult) => number | undefined;
  direction: 'rises' | 'falls';
  label: string;
  minimum?: number;
}): CriterionResult {
  const points = trend(options.cells, options.path, options.read);
  const rho = rankCorrelation(
    points.map((p) => p.x),
    points.map((p) => p.y),
  );
  const minimum = options.minimum ?? 0;
  const expected = options.direction === 'rises' ? `Spearman ρ > ${minimum}` : `Spearman ρ < ${-minimum}`;
  if (points.length < 3) return { name: options.name, verdict: 'fail', measured: `only ${points.length} settings have ${options.label}; a trend needs 3`, expected };
  const passed = options.direction === 'rises' ? rho > minimum : rho < -minimum;
  return { name: options.name, verdict: passIf(passed), measured: `ρ = ${fmt(rho)} (${describeTrend(points, options.label)})`, expected };
}

/** A criterion about a single number; fails with `missing` as its measurement when there is none. */
export function valueCriterion(name: string, value: number | undefined, expected: string, test: (v: number) => boolean, missing = 'not measured'): CriterionResult {
  if (value === undefined || !Number.isFinite(value)) return { name, verdict: 'fail', measured: missing, expected };
  return { name, verdict: passIf(test(value)), measured: fmt(value), expected };
}

/**
 * The least-squares line through (x, y) with the standard error of its slope, √(Σ residual² / (n − 2) / Σ(x − x̄)²):
 * how far a slope that is 0 in truth may stray on noise alone (NaN with fewer than 3 points or one x).
 */
export function fitLineWithError(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; standardError: number } {
  const { slope, intercept } = fitLine(xs, ys);
  const meanX = mean(xs);
  const sxx = xs.reduce((s, x) => s + (x - meanX) ** 2, 0);
  const residual = xs.reduce((s, x, i) => s + (ys[i]! - intercept - slope * x) ** 2, 0);
  const standardError = xs.length > 2 && sxx > 0 ? Math.sqrt(residual / (xs.length - 2) / sxx) : Number.NaN;
  return { slope, intercept, standardError };
}

/**
 * How far apart two runs' curves are: the largest |a − b| / |b| of `field` of `kind` records over
 * the steps both logged, `b` the reference. Undefined when they share no step (a run that stopped
 * early is compared over what it logged).
 */
export function maxRelativeGap(a: CellResult, b: CellResult, kind: string, field: string): number | undefined {
  const reference = new Map<number, number>();
  for (const r of recordsOf(b, kind)) {
    const v = numberField(r, field);
    if (v !== undefined) reference.set(r.step, v);
  }
  let worst: number | undefined;
  for (const r of recordsOf(a, kind)) {
    const v = numberField(r, field);
    const ref = reference.get(r.step);
    if (v === undefined || ref === undefined) continue;
    const gap = Math.abs(v - ref) / Math.abs(ref);
    worst = worst === undefined || gap > worst ? gap : worst;
  }
  return worst;
}

/** The first logged step at which a `train` record's loss is at most `target` (undefined: never, or no cell). */
export function stepsToLoss(cell: CellResult | undefined, target: number): number | undefined {
  return cell?.records.find((r) => r.kind === 'train' && typeof r['loss'] === 'number' && r['loss'] <= target)?.step;
}

/**
 * The cell a sweep's learning-rate rule picked at the grid point whose every key has the value in
 * `point`; undefined when the sweep searched no rate or its rule found none eligible there.
 */
export function pickedCell(sweep: SweepResult, point: Readonly<Record<string, unknown>>): CellResult | undefined {
  // Grid values may be objects (an optimizer spec): compared by content.
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  const picks = sweep.lrPicks?.filter((p) => Object.entries(point).every(([key, value]) => same(p.point[key], value))).slice(0, 1) ?? [];
  return runsAtPickedRates(sweep.cells, picks).find((c) => Object.entries(point).every(([key, value]) => same(settingOf(c, key), value)));
}

/** The cross-entropy of guessing uniformly among `classes` (ln 10 ≈ 2.30 for MNIST). */
export function chanceLoss(classes: number): number {
  return Math.log(classes);
}

/**
 * A run whose final training loss is above this fraction of the chance loss has not trained: its
 * "end of training" is still its start, so end-of-training statistics leave it out (and say how
 * many). 0.9 · ln 10 ≈ 2.07 on MNIST, where trained nets here end below 1.
 */
export const NOT_TRAINED_FRACTION = 0.9;

/** Splits cells into those that trained and those whose final training loss stayed near chance (or is missing). */
export function splitByTraining(cells: readonly CellResult[], classes: number): { trained: CellResult[]; notTrained: CellResult[] } {
  const limit = NOT_TRAINED_FRACTION * chanceLoss(classes);
  const trains = (c: CellResult) => {
    const loss = c.summary?.finalTrainLoss;
    return typeof loss === 'number' && Number.isFinite(loss) && loss < limit;
  };
  return { trained: cells.filter(trains), notTrained: cells.filter((c) => !trains(c)) };
}

/** What a criterion judged, for its figure to draw the same runs: `judged`, and `notTrained` left out of them. */
export function judgedRuns(judged: readonly CellResult[], notTrained: readonly CellResult[] = []): JudgedRuns {
  return { judged: judged.map((c) => c.id), notTrained: notTrained.map((c) => c.id) };
}
