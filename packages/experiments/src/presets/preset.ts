import type { ReplicasOption } from '../run/replica-group';
import type { LrPick } from '../sweep/lr-search';
import type { CellResult } from '../results/run-view';
import type { SettingNames } from '../results/labels';

export type { CellResult };

/**
 * A preset is one claim of the papers as data: what is claimed and where, the sweeps that test it
 * at each scale, and criteria that judge the results. `overparam reproduce <id>` runs the sweeps
 * of one scale, evaluates the criteria and writes the report.
 */

/** How big a reproduction is: `smoke` runs in CI (≤ 30 s), `laptop` on 2 cores (≤ 15 min), `paper` on a cluster. */
export const presetScales = ['smoke', 'laptop', 'paper'] as const;
export type PresetScale = (typeof presetScales)[number];
/** What `reproduce` runs when no --scale is given: the one that finishes on the machine at hand. */
export const DEFAULT_PRESET_SCALE: PresetScale = 'laptop';

/** A sweep file's content without its name (the preset names it `<preset id>-<key>`). */
export type PresetSweep = Readonly<Record<string, unknown>> & { readonly base: Readonly<Record<string, unknown>> };

export interface PresetScaleSpec {
  /** The sweeps, by a short key that names their directory under --out (`depth`, `width`, …). */
  readonly sweeps: Readonly<Record<string, PresetSweep>>;
  /** What this scale leaves out of the paper's protocol and why (smaller grid, fewer steps, stand-in data). */
  readonly scaledDown: string;
}

export interface SweepResult {
  readonly key: string;
  readonly cells: readonly CellResult[];
  /** The learning rate each grid point's rule picked, when the sweep searches rates. */
  readonly lrPicks?: readonly LrPick[];
}

/** The results of every sweep of one scale, by sweep key. */
export type PresetResults = Readonly<Record<string, SweepResult>>;

/**
 * How a claim fared. `pass` and `fail` are judgements that cleared the noise (a trend or a
 * comparison beyond about two standard errors); `inconclusive` is a judgement the noise could not
 * settle, with the numbers; `reported` is a quantity the papers state but that is shown rather than
 * judged (fragile, e.g. a sign that flips with the learning rate). `--check` fails only on `fail`.
 */
export const verdicts = ['pass', 'fail', 'inconclusive', 'reported'] as const;
export type Verdict = (typeof verdicts)[number];

/**
 * The runs a criterion judged, by run id, and those it left out as not trained (final loss near
 * chance): the figure the criterion names is drawn from exactly the judged runs of its sweep, so
 * the reader sees what was judged and is told what was left out.
 */
export interface JudgedRuns {
  readonly judged: readonly string[];
  readonly notTrained: readonly string[];
}

/** A claim checked against the results, with what was measured. */
export interface CriterionResult {
  /** What is claimed, e.g. `min cosine falls with depth (Sankararaman et al. (2020), fig. 5)`. */
  readonly name: string;
  readonly verdict: Verdict;
  /** The measured value(s), as the criterion reports them. */
  readonly measured: string | number | null;
  /** The threshold or expectation, in words, e.g. `< 0`. */
  readonly expected?: string;
  /** The id of the report figure that shows what is judged (`full-training-loss`, `min-cosine-vs-depth`, …). */
  readonly figure?: string;
  /** The runs judged (absent: the figure draws every run of its sweep). */
  readonly runs?: JudgedRuns;
}

export interface Preset {
  /** Lower-case, hyphenated, the claim's number first: `c1-linear-regression`. */
  readonly id: string;
  /** The claim in one sentence. */
  readonly claim: string;
  /** Seed file and figure/theorem, e.g. `Sankararaman et al. (2020), fig. 1; Sankararaman et al. (2020, poster)`. */
  readonly source: string;
  /** What the report's figures show and how to read them. */
  readonly reading: string;
  readonly scales: Readonly<Record<PresetScale, PresetScaleSpec>>;
  /**
   * The report figures that show the claim, by the figure's id in @overparam/report's catalogue
   * (`training-loss`, `population-gram-depth`, `min-cosine` for min cosine against each swept key…);
   * report's tests check that each exists and can be drawn from what the preset's sweeps record.
   */
  readonly figures: readonly string[];
  /** Words for swept values whose codes a reader of the paper does not know (c5's variants), for the report's legends. */
  readonly settingNames?: readonly SettingNames[];
  /** Judges one scale's results; the same criteria at every scale unless `scale` says otherwise. */
  criteria(results: PresetResults, scale: PresetScale): CriterionResult[];
  /**
   * How its sweeps group their cells into replica groups when the caller does not say
   * (`--replicas`); absent: sweeps' `DEFAULT_REPLICAS`. Set where grouping pays: either its test
   * shows the criteria print the same with every grouping (on wasm and node a grouped cell's last
   * digits differ from its solo run's; see `presetReplicas`), or its time budget needs the groups,
   * and then a fixed size (not `auto`, which follows `--jobs`) keeps its numbers those of one
   * grouping, and its comment says how far `--replicas 1` moves them.
   */
  readonly replicas?: ReplicasOption;
}
