import { runsAtPickedRates, type CriterionResult, type LabelledRunView, type LrPickView } from '@overparam/experiments';
import { pickedRatesText, withoutRate } from './lr-picks';

/** The runs the criteria that name one figure judged, by run id as the report reads them. */
export interface FigureRuns {
  readonly judged: ReadonlySet<string>;
  readonly notTrained: ReadonlySet<string>;
}

/**
 * Per figure id as one section of the report draws it, the runs its criteria judged: the union
 * over every criterion that names the figure. A figure named by a criterion that says nothing of
 * its runs (it reads them all) gets no selection. `figureIdOf` maps a criterion's figure id to the
 * section's (undefined: another section's figure); `runIdOf` a criterion's run id to the report's.
 */
export function judgedRunsByFigure(criteria: readonly CriterionResult[], figureIdOf: (id: string) => string | undefined, runIdOf: (id: string) => string = (id) => id): Map<string, FigureRuns> {
  const out = new Map<string, { judged: Set<string>; notTrained: Set<string> } | null>();
  for (const c of criteria) {
    const id = c.figure === undefined ? undefined : figureIdOf(c.figure);
    if (id === undefined) continue;
    const runs = c.runs;
    const sofar = out.get(id);
    if (runs === undefined || sofar === null) {
      out.set(id, null);
      continue;
    }
    const entry = sofar ?? { judged: new Set<string>(), notTrained: new Set<string>() };
    for (const r of runs.judged) entry.judged.add(runIdOf(r));
    for (const r of runs.notTrained) entry.notTrained.add(runIdOf(r));
    out.set(id, entry);
  }
  return new Map([...out].filter((e): e is [string, { judged: Set<string>; notTrained: Set<string> }] => e[1] !== null));
}

const count = (n: number, what: string) => `${n} run${n === 1 ? '' : 's'} ${what}`;

/**
 * The runs of `runs` a figure's criteria judged, and the sentence its caption gets: how many runs
 * it shows and which it leaves out (at rates the rule did not pick, near chance, not completed),
 * and the rates picked. No sentence when every run is shown.
 */
export function selectJudged(runs: readonly LabelledRunView[], lrPicks: readonly LrPickView[], selection: FigureRuns): { runs: LabelledRunView[]; note: string } {
  // At the picked rates the rate tells no series apart: the caption names it instead.
  const shown = runs.filter((r) => selection.judged.has(r.id)).map((r) => (lrPicks.length > 0 ? withoutRate(r) : r));
  if (shown.length === runs.length) return { runs: shown, note: '' };
  const rest = runs.filter((r) => !selection.judged.has(r.id));
  const atPicked = new Set(lrPicks.length > 0 ? runsAtPickedRates(runs, lrPicks).map((r) => r.id) : runs.map((r) => r.id));
  const otherRates = rest.filter((r) => !atPicked.has(r.id)).length;
  const nearChance = rest.filter((r) => atPicked.has(r.id) && selection.notTrained.has(r.id)).length;
  const others = rest.length - otherRates - nearChance;
  const leftOut = [
    ...(otherRates > 0 ? [count(otherRates, 'at learning rates the rule did not pick')] : []),
    ...(nearChance > 0 ? [count(nearChance, 'that did not train (final loss near chance)')] : []),
    ...(others > 0 ? [`${count(others, 'the criteria do not read')} (other settings, or not completed)`] : []),
  ];
  return {
    runs: shown,
    note: `Drawn from the ${count(shown.length, 'the criteria judge')}${lrPicks.length > 0 ? `, at each grid point’s picked learning rate (${pickedRatesText(lrPicks)})` : ''}; left out: ${leftOut.join(', ')}.`,
  };
}
