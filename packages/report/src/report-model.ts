import { nameSettings, type CriterionResult as ExperimentsCriterion, type LabelledRunView, type LrPickView, type PresetProtocol, type SettingNames, type SweepManifest } from '@overparam/experiments';
import { figureCatalogue, figureDefinitionOf } from './figures';
import { configField, finiteNumber, type Figure, type FigureInput } from './figures/figure';
import { selectJudged, type FigureRuns } from './judged-runs';
import { gridPointLabel } from './lr-picks';
import { measurementRows, type MeasurementView } from './measurement';

export type { Figure };

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

function runRow(r: LabelledRunView): RunRow {
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
    requestedSteps: s?.requestedSteps ?? finiteNumber(configField(r.config, 'steps')),
    finalTrainLoss: finiteNumber(s?.finalTrainLoss),
    testAccuracy: finiteNumber(s?.testAccuracy),
    seconds: finiteNumber(s?.seconds),
    divergedAtStep: finiteNumber(s?.divergedAtStep),
    error: s?.error !== undefined ? `${s.error.code !== null ? `${s.error.code}: ` : ''}${s.error.message}` : null,
  };
}

/**
 * A figure redrawn from the runs its criteria judged, its caption saying what was left out; none
 * when those runs cannot draw it (every run near chance, say).
 */
function judgedFigure(figure: Figure, input: FigureInput, selection: FigureRuns | undefined): Figure[] {
  if (selection === undefined) return [figure];
  const { runs, note } = selectJudged(input.runs, input.lrPicks, selection);
  if (note === '') return [figure];
  const judged = { ...input, runs };
  const definition = figureDefinitionOf(figure.id);
  const redrawn = definition !== undefined && definition.applies(judged) ? definition.draw(judged).find((f) => f.id === figure.id) : undefined;
  return redrawn === undefined ? [] : [{ ...redrawn, caption: `${redrawn.caption} ${note}` }];
}

/**
 * The report's content from its runs: the runs table and every figure the records support.
 * Pure, so the browser playground can build the same figures live.
 */
export function buildReport(
  labelledRuns: readonly LabelledRunView[],
  options: {
    title: string;
    intro?: readonly string[];
    sweep?: SweepManifest;
    /** The sweep's lr-search.json: adds the training loss at the picked rates and the table of picks. */
    lrPicks?: readonly LrPickView[];
    criteria?: readonly CriterionResult[];
    protocol?: PresetProtocol;
    measurements?: readonly MeasurementView[];
    /**
     * The figure ids to draw (a preset's `figures`, which its criteria name), in the catalogue's
     * order; every figure the records support when left out (`overparam report` on any runs).
     */
    figures?: readonly string[];
    /** Per figure id, the runs the criteria that name it judged (judged-runs.ts): the figure draws those alone. */
    judged?: ReadonlyMap<string, FigureRuns>;
    /** A preset's words for its swept values, in the legends and the runs table in place of the values' codes. */
    settingNames?: readonly SettingNames[];
  },
): ReportModel {
  const measurements = options.measurements ?? [];
  const runs = nameSettings(labelledRuns, options.settingNames ?? []);
  const input: FigureInput = { runs: runs.filter((r) => r.records.length > 0 || r.summary !== undefined), lrPicks: options.lrPicks ?? [], measurements };
  const wanted = options.figures === undefined ? undefined : new Set(options.figures);
  const figures = figureCatalogue
    .filter((definition) => wanted === undefined || [...wanted].some((id) => definition.drawnFrom(id) !== undefined))
    .flatMap((definition) => (definition.applies(input) ? definition.draw(input) : []))
    .filter((f) => wanted === undefined || wanted.has(f.id))
    .flatMap((f) => judgedFigure(f, input, options.judged?.get(f.id)));

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
    configs: Object.fromEntries(runs.map((r) => [r.id, { config: r.config ?? null, info: r.info ?? null }])),
  };
}
