import type { CriterionResult as ExperimentsCriterion, PresetProtocol } from '@overparam/experiments';
import type { TopLevelSpec } from 'vega-lite';
import { cosineDensitySpec, type CosineSample } from './charts/cosine-density';
import { gramSpectrumSpec, maxSpectrumReferences } from './charts/gram-spectrum';
import { lossCurvesSpec, type LabelledRun } from './charts/loss-curves';
import { recordCurvesSpec } from './charts/record-curves';
import { sweptStatisticSpec, type SweptValue } from './charts/swept-statistic';
import { weightMovementSpec } from './charts/weight-movement';
import { aboveOptimum } from './excess-loss';
import { gridPointLabel, runsAtPickedRates, type LrPickView } from './lr-picks';
import { measurementFigure, measurementRows, type MeasurementView } from './measurement';
import { finiteField, lastOfKind, recordsOfKind } from './records';
import { settingLabel, shortKey, type ReportRun, type SettingValue } from './run-view';
import type { SweepManifest } from './source';
import { populationGramFigures } from './population-figures';
import { runStatistics } from './statistics';

/** One figure of the report: a file-safe id, a title, a caption saying what it measures, the spec. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** One line of the runs table: what ran and how it ended. */
export interface RunRow {
  readonly id: string;
  readonly status: string;
  readonly setting: string;
  readonly seed: number;
  readonly model: string | null;
  readonly params: number | null;
  readonly data: string | null;
  readonly backend: string | null;
  readonly steps: number | null;
  readonly requestedSteps: number | null;
  readonly finalTrainLoss: number | null;
  readonly testAccuracy: number | null;
  readonly seconds: number | null;
  readonly divergedAtStep: number | null;
  /** 1, or more when the run was resumed (run.json `attempts`). */
  readonly starts: number | null;
  /** Why a failed run failed (summary.json `error`). */
  readonly error: string | null;
}

/** A preset's criterion with what was measured (defined by @overparam/experiments, which computes them); the report only displays. */
export type CriterionResult = ExperimentsCriterion;

/** One grid point of a learning-rate search: the rate picked and why (lr-search.json). */
export interface LrPickRow {
  /** The grid point's values without lr, as a label. */
  readonly point: string;
  readonly rule: string;
  /** null: no rate was eligible. */
  readonly lr: number | null;
  readonly reason: string;
  /** The picked rate is the smallest or largest of the grid, so a better one may lie outside it. */
  readonly onEdge: boolean;
}

export interface ReportModel {
  readonly title: string;
  /** Paragraphs under the title: what the report is about (a preset's claim and how to read it). */
  readonly intro: readonly string[];
  readonly criteria: readonly CriterionResult[];
  /** A preset's protocol, the paper's scale against the one that ran (null outside a preset). */
  readonly protocol: PresetProtocol | null;
  /** Measurement directories: measure.json as rows. */
  readonly measurements: ReadonlyArray<{ readonly id: string; readonly rows: ReadonlyArray<[string, string | number | boolean | null]> }>;
  readonly sweep: { readonly name: string; readonly grid: Readonly<Record<string, readonly unknown[]>>; readonly seeds: readonly number[] } | null;
  /** Each sweep's learning-rate picks, when it searched the rate. */
  readonly lrSearches: ReadonlyArray<{ readonly sweep: string; readonly picks: readonly LrPickRow[] }>;
  readonly runs: readonly RunRow[];
  readonly figures: readonly Figure[];
  /** Each run's config.json and run.json, by run id, shown verbatim. */
  readonly configs: Readonly<Record<string, { readonly config: unknown; readonly info: unknown }>>;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function configField(config: unknown, ...path: string[]): unknown {
  let v = config;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function runRow(r: ReportRun): RunRow {
  const s = r.summary;
  return {
    id: r.id,
    status: r.status,
    setting: r.setting,
    seed: r.seed,
    model: r.info?.model.name ?? s?.modelName ?? null,
    params: r.info?.model.paramCount ?? s?.paramCount ?? null,
    data: str(configField(r.config, 'data')),
    backend: r.info?.backend ?? s?.backend ?? null,
    starts: r.info?.attempts.length ?? null,
    steps: s?.steps ?? null,
    requestedSteps: s?.requestedSteps ?? num(configField(r.config, 'steps')),
    finalTrainLoss: num(s?.finalTrainLoss),
    testAccuracy: num(s?.testAccuracy),
    seconds: num(s?.seconds),
    divergedAtStep: num(s?.divergedAtStep),
    error: s?.error !== undefined ? `${s.error.code !== null ? `${s.error.code}: ` : ''}${s.error.message}` : null,
  };
}

const labelled = (runs: readonly ReportRun[]): LabelledRun[] => runs.map((r) => ({ run: r.id, setting: r.setting, seed: r.seed, records: r.records }));

/** Swept keys with numeric values that take at least two values: each can be an x axis. */
function numericSweptKeys(runs: readonly ReportRun[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.settings)));
  return [...keys].filter((k) => {
    const values = runs.map((r) => r.settings[k]);
    return values.every((v) => typeof v === 'number') && new Set(values).size >= 2;
  });
}

function without(settings: Readonly<Record<string, SettingValue>>, key: string): Record<string, SettingValue> {
  const { [key]: _dropped, ...rest } = settings;
  return rest;
}

const DATA_BOUND = 'data bound −max |cos(xᵢ, xⱼ)|';

/** −max |cos(xᵢ, xⱼ)| of each run's inputs (its `data-geometry` record), as a series of a swept figure. */
function dataBound(runs: readonly ReportRun[], key: string): SweptValue[] {
  return runs.flatMap((r) => {
    const cos = finiteField(lastOfKind(r.records, 'data-geometry'), 'maxAbsCosine');
    const x = r.settings[key];
    return cos === undefined || typeof x !== 'number' ? [] : [{ run: `${r.id}-data`, series: DATA_BOUND, seed: r.seed, x, value: -cos }];
  });
}

function sweptFigures(runs: readonly ReportRun[]): Figure[] {
  const figures: Figure[] = [];
  for (const key of numericSweptKeys(runs)) {
    for (const stat of runStatistics) {
      const values: SweptValue[] = [];
      for (const r of runs) {
        // A run that took no step has no training loss or accuracy to show, only its initial state.
        if (stat.afterTraining === true && r.summary?.steps === 0) continue;
        const value = stat.read(r);
        if (value !== undefined) values.push({ run: r.id, series: settingLabel(without(r.settings, key), 'all runs'), seed: r.seed, x: r.settings[key] as number, value });
      }
      if (values.length === 0) continue;
      // A min cosine is bounded below by the data itself where the runs measured it (exact for
      // orthogonal square layers, Sankararaman et al. (2020), §6): draw −max |cos(xᵢ, xⱼ)| beside it.
      const bound = stat.id.endsWith('min-cosine') ? dataBound(runs, key) : [];
      values.push(...bound);
      const positive = values.every((v) => v.value > 0);
      const seeds = new Set(values.map((v) => v.seed)).size;
      figures.push({
        id: `${stat.id}-vs-${shortKey(key)}`.replace(/[^a-z0-9-]+/gi, '-'),
        title: `${stat.title} against ${shortKey(key)}`,
        caption: `${stat.title[0]!.toUpperCase()}${stat.title.slice(1)}: ${stat.meaning}, against the swept ${key}.${bound.length > 0 ? ` “${DATA_BOUND}”: the most negative cosine the inputs allow, −max |cos(xᵢ, xⱼ)| over the measured examples (the \`data-geometry\` record).` : ''} Dots: one run each (${seeds} seed${seeds === 1 ? '' : 's'}); line and band: mean ± sample standard deviation over the runs at each value (seeds, and data draws when the data seed is swept); one colour per setting of the other swept keys.`,
        spec: sweptStatisticSpec(values, { keyTitle: shortKey(key), statisticTitle: stat.title, logY: stat.logY === true && positive }),
      });
    }
  }
  return figures;
}

function cosineSamples(runs: readonly ReportRun[]): CosineSample[] {
  const bySetting = new Map<string, number[]>();
  for (const r of runs) {
    const values = lastOfKind(r.records, 'minibatch-confusion')?.['cosineValues'];
    if (!Array.isArray(values)) continue;
    const pooled = bySetting.get(r.setting) ?? [];
    for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) pooled.push(v);
    bySetting.set(r.setting, pooled);
  }
  return [...bySetting].filter(([, values]) => values.length >= 2).map(([setting, values]) => ({ setting, values }));
}

/**
 * The report's content from its runs: the runs table and every figure the records support.
 * Pure, so the browser playground can build the same figures live.
 */
export function buildReport(
  runs: readonly ReportRun[],
  options: {
    title: string;
    intro?: readonly string[];
    sweep?: SweepManifest;
    /** The sweep's lr-search.json: adds the training loss at the picked rates and the table of picks. */
    lrPicks?: readonly LrPickView[];
    criteria?: readonly CriterionResult[];
    protocol?: PresetProtocol;
    measurements?: readonly MeasurementView[];
  },
): ReportModel {
  const withRecords = runs.filter((r) => r.records.length > 0 || r.summary !== null);
  const figures: Figure[] = [];
  // A curve needs two points: a kind logged once per run (a 0-step run, a measurement at the start
  // only) draws no curve figure.
  const any = (kind: string) => withRecords.some((r) => recordsOfKind(r.records, kind).length >= 2);

  if (any('train')) {
    const logEvery = num(configField(withRecords.find((r) => r.config !== null)?.config, 'logEvery'));
    figures.push({
      id: 'training-loss',
      title: 'Training loss',
      caption: `Mean minibatch loss over each logging window${logEvery !== null ? ` of ${logEvery} steps` : ''} against the optimizer step, on a log axis. Thin lines: one run each. Where a setting has several seeds, the thick line is the geometric mean over seeds and the band exp(mean ± std) of ln loss (a log axis has no room for an arithmetic mean − std below zero).`,
      spec: lossCurvesSpec(labelled(withRecords)),
    });
  }
  const lrPicks = options.lrPicks ?? [];
  const picked = runsAtPickedRates(withRecords, lrPicks);
  if (picked.some((r) => recordsOfKind(r.records, 'train').length > 0)) {
    const rules = [...new Set(lrPicks.map((p) => p.rule))].join(', ');
    figures.push({
      id: 'training-loss-at-picked-lr',
      title: 'Training loss at the picked learning rate',
      caption: `The training loss of only the runs at the learning rate that the ${rules} rule picked for each grid point (lr-search.json; the learning-rate search table says why), which is what the criteria judge; the training-loss figure shows every rate tried. Grid points where no rate was eligible have no curve. Thin lines, thick line and band as in the training-loss figure.`,
      spec: lossCurvesSpec(labelled(picked)),
    });
  }
  const offset = aboveOptimum(labelled(withRecords));
  if (offset.length > 0) {
    figures.push({
      id: 'training-loss-above-optimum',
      title: 'Training loss above the optimum',
      caption:
        'The logged training loss minus the least loss a linear model reaches on the training split (the `optimal-loss` record; Arora et al. (2018), appendix C.1), against the step, on a log axis: how far each run still is from the optimum. Only runs that recorded the optimum are shown; thick line and band as in the training-loss figure.',
      spec: lossCurvesSpec(offset, { yTitle: 'training loss − optimum' }),
    });
  }
  if (any('full-loss')) {
    figures.push({
      id: 'full-training-loss',
      title: 'Full training loss',
      caption:
        'The loss on the whole training split (or its fixed subset), measured on a schedule in evaluation mode, against the step, on a log axis: unlike the minibatch loss it has no sampling noise, so a straight falling line is linear convergence and a flat tail a plateau — except a tail near 1e-12 or below, which is float32’s rounding of the residuals (ε₃₂² ≈ 1e-14 times the squared targets), the arithmetic’s floor rather than a plateau of the optimization. Thin lines: one run each; thick line and band: geometric mean and exp(mean ± std) of ln loss over seeds.',
      spec: lossCurvesSpec(labelled(withRecords), { kind: 'full-loss' }),
    });
  }
  // Cosines measured more than once per run are a curve over training (the paper's fig. 1, right).
  const overTraining = (kind: string) => withRecords.some((r) => recordsOfKind(r.records, kind).length >= 2);
  for (const [kind, field, what] of [
    ['confusion', 'meanCos', 'mean pairwise cosine of per-example gradients'],
    ['confusion', 'minCos', 'min pairwise cosine of per-example gradients'],
    ['minibatch-confusion', 'minCos', 'min cosine over minibatch-gradient pairs'],
    ['minibatch-confusion', 'meanCos', 'mean cosine over minibatch-gradient pairs'],
  ] as const) {
    if (!overTraining(kind)) continue;
    figures.push({
      id: `${kind}-${field}-over-training`.toLowerCase(),
      title: `${what[0]!.toUpperCase()}${what.slice(1)} over training`,
      caption: `The ${what} at every \`${kind}\` measurement, against the step; one line per run. Below the dashed line at 0 the gradients disagree: gradient confusion.`,
      spec: recordCurvesSpec(labelled(withRecords), { kind, field, yTitle: what, rule: 0 }),
    });
  }
  figures.push(...sweptFigures(withRecords));
  figures.push(...populationGramFigures(withRecords));
  const samples = cosineSamples(withRecords);
  if (samples.length > 0) {
    figures.push({
      id: 'cosine-density',
      title: 'Density of pairwise gradient cosines',
      caption:
        "Kernel density (Gaussian kernel, Scott's bandwidth) of the cosines between pairs of minibatch gradients at the last `minibatch-confusion` measurement, pooled over the seeds of each setting (as in Sankararaman et al., figs. 2–4 panel c). Mass left of the dashed line at 0 is gradient confusion.",
      spec: cosineDensitySpec(samples),
    });
  }
  if (any('spectrum')) {
    const settings = new Set(withRecords.filter((r) => recordsOfKind(r.records, 'spectrum').length > 0).map((r) => r.setting)).size;
    const reference =
      settings <= maxSpectrumReferences
        ? 'dotted: half of each setting’s λ_min at step 0, averaged over seeds (Du et al. show λ_min(G(k)) ≥ λ₀/2 throughout training for wide enough nets)'
        : `the λ_min(0)/2 reference lines are left out for more than ${maxSpectrumReferences} settings`;
    figures.push({
      id: 'gram-spectrum',
      title: 'Spectrum of the Gram during training',
      caption: `Top: λ_min (solid) and λ_max (dashed) of the Gram of a fixed set of training examples against the step; ${reference}. Bottom: the condition number κ = λ_max / λ_min. Log axes where all values are positive.`,
      spec: gramSpectrumSpec(labelled(withRecords)),
    });
  }
  if (any('weight-movement')) {
    figures.push({
      id: 'weight-movement',
      title: 'Weight movement',
      caption:
        'Relative distance from initialization ‖W(k) − W(0)‖_F / ‖W(0)‖_F against the step, for all parameters together and per layer (weights and bias together, named by their position in the network; layers initialized at zero have no ratio and are left out). With several settings, one panel per layer. Du et al.’s analysis keeps every layer close to its initialization.',
      spec: weightMovementSpec(labelled(withRecords)),
    });
  }

  const measurements = options.measurements ?? [];
  for (const m of measurements) {
    const figure = measurementFigure(m);
    if (figure !== undefined) figures.push(figure);
  }

  const sweep = options.sweep;
  return {
    title: options.title,
    intro: options.intro ?? [],
    criteria: options.criteria ?? [],
    protocol: options.protocol ?? null,
    measurements: measurements.map((m) => ({ id: m.id, rows: measurementRows(m.summary) })),
    sweep: sweep === undefined ? null : { name: sweep.name, grid: sweep.grid ?? {}, seeds: sweep.seeds ?? [...new Set(sweep.cells.map((c) => c.seed))] },
    lrSearches:
      options.lrPicks === undefined
        ? []
        : [{ sweep: sweep?.name ?? options.title, picks: options.lrPicks.map((p) => ({ point: gridPointLabel(p.point), rule: p.rule, lr: p.lr, reason: p.reason, onEdge: p.onEdge })) }],
    runs: runs.map(runRow),
    figures,
    configs: Object.fromEntries(runs.map((r) => [r.id, { config: r.config, info: r.info }])),
  };
}
