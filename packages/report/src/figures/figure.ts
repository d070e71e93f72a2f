import { recordsOf, shortKey, type LabelledRunView, type LrPickView } from '@overparam/experiments';
import type { TopLevelSpec } from 'vega-lite';
import type { LabelledRun } from '../charts/loss-curves';
import type { MeasurementView } from '../measurement';

/** One figure of the report: a file-safe id, a title, a caption saying what it measures, the spec. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** What a figure is drawn from: the runs that have something to show, a sweep's picks, measurements. */
export interface FigureInput {
  readonly runs: readonly LabelledRunView[];
  /** lr-search.json's picks; empty when the sweep fixed its rate. */
  readonly lrPicks: readonly LrPickView[];
  readonly measurements: readonly MeasurementView[];
}

/**
 * A figure of the catalogue (figures/index.ts): whether the runs support it, and what it draws.
 * Most draw one figure with the definition's id; a family (one figure per swept key, per
 * measurement) draws several, and says which ids are its own.
 */
export interface FigureDefinition {
  readonly id: string;
  /**
   * For a figure id (as a preset names it): the record kinds it is drawn from, any one of which
   * will do (empty: any run, e.g. from summary.json), and the swept key its x axis needs; undefined
   * when the id is not this definition's.
   */
  drawnFrom(id: string): { readonly records: readonly string[]; readonly sweptKey?: string } | undefined;
  applies(input: FigureInput): boolean;
  draw(input: FigureInput): Figure[];
}

/** A figure drawn once: its id, the records it reads, when it applies, its title, caption and spec. */
export function figure(definition: {
  readonly id: string;
  readonly records: readonly string[];
  applies(input: FigureInput): boolean;
  readonly title: string;
  caption(input: FigureInput): string;
  spec(input: FigureInput): TopLevelSpec;
}): FigureDefinition {
  return {
    id: definition.id,
    drawnFrom: (id) => (id === definition.id ? { records: definition.records } : undefined),
    applies: (input) => definition.applies(input),
    draw: (input) => [{ id: definition.id, title: definition.title, caption: definition.caption(input), spec: definition.spec(input) }],
  };
}

/**
 * The legend's title where the series are the runs' settings: the names of the keys that tell them
 * apart (`activation, init, depth`), as the labels write them; `run` when nothing does. `without`
 * leaves out a key the figure puts on its x axis instead.
 */
export function settingsTitle(runs: readonly LabelledRunView[], without?: string): string {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.settings)))].filter((k) => k !== without);
  return keys.length > 0 ? keys.map(shortKey).join(', ') : 'run';
}

/** The runs as the curve charts take them. */
export const labelled = (runs: readonly LabelledRunView[]): LabelledRun[] => runs.map((r) => ({ run: r.id, setting: r.setting, seed: r.seed, records: r.records }));

/**
 * Whether some run logged `kind` at least twice: a curve needs two points, so a kind logged once
 * per run (a 0-step run, a measurement at the start only) draws no curve figure.
 */
export const hasCurve = (input: FigureInput, kind: string) => input.runs.some((r) => recordsOf(r, kind).length >= 2);

/** A value of a config by path, or undefined. */
export function configField(config: unknown, ...path: string[]): unknown {
  let v = config;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export function finiteNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A figure whose data decide whether it is drawn (too few widths, no resolved eigenvalue): `draw`
 * returns it, or nothing.
 */
export function drawnWhenData(definition: { readonly id: string; readonly records: readonly string[]; draw(input: FigureInput): Figure[] }): FigureDefinition {
  return {
    id: definition.id,
    drawnFrom: (id) => (id === definition.id ? { records: definition.records } : undefined),
    applies: (input) => definition.draw(input).length > 0,
    draw: (input) => definition.draw(input),
  };
}
