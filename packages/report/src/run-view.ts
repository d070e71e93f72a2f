import type { RunRecord } from '@overparam/core';
import type { RunSummary } from '@overparam/experiments';
import type { RunInfo, RunSource, RunStatus, SweepManifest } from './source';

/** A swept value as a figure shows it. */
export type SettingValue = string | number | boolean;

/** One run as the report sees it: what it is, how it ended, what it recorded. */
export interface ReportRun {
  readonly id: string;
  readonly status: RunStatus;
  /** config.json as written, shown verbatim; `null` when the run has none yet. */
  readonly config: unknown;
  /** run.json: the backend it got, the model built, each start and resume. */
  readonly info: RunInfo | null;
  readonly summary: RunSummary | null;
  readonly records: readonly RunRecord[];
  readonly seed: number;
  /** The values that tell this run apart from the others (a sweep cell's overrides), without the seed and data seed. */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** `settings` as one label (`depth=2, lr=0.1`); runs that differ only by seed share it. */
  readonly setting: string;
  /** The sweep cell's overrides as sweep.json has them (replicate keys included); absent outside a sweep. */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/**
 * Replicates, averaged over in the figures rather than told apart: the run seed and the data seed
 * (a fresh draw of a synthetic set, which the papers' probabilities are taken over as much as the weights).
 */
const replicateKeys = new Set(['seed', 'dataSeed']);

/** Config fields that never tell runs apart as a setting: the replicates, and bookkeeping. */
const notSettings = new Set([...replicateKeys, 'backend', 'metrics', 'logEvery', 'dataDir', 'dataFile']);

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** `archOptions.depth` → `depth`: the last path segment reads best in a legend. */
export function shortKey(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** A config or override value as a label shows it: scalars as they are, anything else as JSON. */
export function asSetting(value: unknown): SettingValue | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value;
  return value === undefined ? undefined : JSON.stringify(value);
}

/** A config flattened to dotted keys (`archOptions.depth`), one level of nesting, scalars only. */
function flatConfig(config: unknown): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  if (config === null || typeof config !== 'object') return out;
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (notSettings.has(key)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) {
        const s = asSetting(v);
        if (s !== undefined) out[`${key}.${inner}`] = s;
      }
    } else {
      const s = asSetting(value);
      if (s !== undefined) out[key] = s;
    }
  }
  return out;
}

/** Keys whose values differ between the configs: what a set of runs outside a sweep varied. */
function varyingKeys(configs: readonly Record<string, SettingValue>[]): string[] {
  const keys = new Set(configs.flatMap((c) => Object.keys(c)));
  return [...keys].filter((k) => new Set(configs.map((c) => JSON.stringify(c[k] ?? null))).size > 1).sort();
}

/**
 * Swept values as a reader of the papers knows them, where the config's name is a code: the
 * legend says "Gaussian", not the name of the initialization strategy's section.
 */
const readerNames: Readonly<Record<string, string>> = {
  'strategy-4.1': 'Gaussian (Strategy 4.1)',
  orthogonal: 'orthogonal',
  'du-mlp': 'fully connected (Du et al.)',
  'du-resnet': 'ResNet (Du et al.)',
};

export function settingLabel(settings: Readonly<Record<string, SettingValue>>, fallback: string): string {
  const parts = Object.entries(settings).map(([k, v]) => `${shortKey(k)}=${typeof v === 'string' ? (readerNames[v] ?? v) : String(v)}`);
  return parts.length > 0 ? parts.join(', ') : fallback;
}

function modelName(info: RunInfo | null, summary: RunSummary | null): string | undefined {
  return info?.model.name ?? summary?.modelName;
}

/**
 * Reads runs through a `RunSource` and labels them: a sweep's cells by their overrides, other
 * runs by whatever differs between their configs. A run without a summary is shown with its
 * status (running, failed, absent) and whatever records it has.
 */
export async function loadRuns(source: RunSource, options: { ids?: readonly string[]; sweep?: SweepManifest } = {}): Promise<ReportRun[]> {
  const ids = options.ids ?? (options.sweep !== undefined ? options.sweep.cells.map((c) => c.id) : await source.list());
  const cells = new Map(options.sweep?.cells.map((c) => [c.id, c]));
  const raw = await Promise.all(
    ids.map(async (id) => {
      const status = await source.status(id);
      const present = status !== 'absent';
      // A run can be read while it is written: what is there is shown, what is not yet is null.
      const config: unknown = present ? ((await source.readConfig(id)) ?? null) : null;
      const info = present ? ((await source.readInfo(id)) ?? null) : null;
      const summary = present ? ((await source.readSummary(id)) ?? null) : null;
      const records = present ? await source.readRecords(id) : [];
      return { id, status, config, info, summary, records };
    }),
  );
  const flat = raw.map((r) => flatConfig(r.config));
  const varying = varyingKeys(flat.filter((_, i) => raw[i]!.config !== null));
  return raw.map((r, i) => {
    const cell = cells.get(r.id);
    const settings: Record<string, SettingValue> = {};
    if (cell !== undefined) {
      for (const [k, v] of Object.entries(cell.overrides)) {
        const s = asSetting(v);
        if (!replicateKeys.has(k) && s !== undefined) settings[k] = s;
      }
    } else {
      for (const k of varying) if (flat[i]![k] !== undefined) settings[k] = flat[i]![k]!;
    }
    const configSeed = field(r.config, 'seed');
    const seed = cell?.seed ?? (typeof configSeed === 'number' ? configSeed : 0);
    return { ...r, seed, settings, setting: settingLabel(settings, modelName(r.info, r.summary) ?? r.id), ...(cell !== undefined ? { overrides: cell.overrides } : {}) };
  });
}
