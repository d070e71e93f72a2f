import type { RunView } from './run-view';

/**
 * How runs are told apart in a legend: the values that differ between them (a sweep cell's
 * overrides, or whatever differs between configs outside a sweep), without the replicates.
 */

/** A swept value as a figure shows it. */
export type SettingValue = string | number | boolean;

export interface RunLabels {
  /** The values that tell this run apart from the others, without the seed and data seed. */
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** `settings` as one label (`depth=2, lr=0.1`); runs that differ only by seed share it. */
  readonly setting: string;
  /** Keys of `settings` whose value is a reader's name (`SettingNames`), shown without `key=`. */
  readonly named?: readonly string[];
}

/**
 * A preset's words for combinations of swept values, where the values' codes say less than the
 * paper's legend: c5's `batchNorm=true, skip=false` is "BN, no skip". The keys are named together,
 * under `title` in a legend; a run whose values match no entry keeps its codes.
 */
export interface SettingNames {
  /** The swept keys named together (`archOptions.batchNorm`, `archOptions.skip`). */
  readonly keys: readonly string[];
  /** What a legend calls them together (`variant`). */
  readonly title: string;
  /** Per combination of the keys' values (in `keys`' order), its name. */
  readonly names: ReadonlyArray<{ readonly values: readonly SettingValue[]; readonly name: string }>;
}

/** A run with its legend label: what figures draw. */
export type LabelledRunView = RunView & RunLabels;

/**
 * Replicates, averaged over in the figures rather than told apart: the run seed and the data seed
 * (a fresh draw of a synthetic set, which the papers' probabilities are taken over as much as the weights).
 */
const replicateKeys = new Set(['seed', 'dataSeed']);

/** Config fields that never tell runs apart as a setting: the replicates, and bookkeeping. */
const notSettings = new Set([...replicateKeys, 'backend', 'metrics', 'logEvery', 'dataDir', 'dataFile']);

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

/** `settings` as one label; the `named` keys' values (a preset's names) stand alone. */
export function settingLabel(settings: Readonly<Record<string, SettingValue>>, fallback: string, named: readonly string[] = []): string {
  const parts = Object.entries(settings).map(([k, v]) => (named.includes(k) ? String(v) : `${shortKey(k)}=${typeof v === 'string' ? (readerNames[v] ?? v) : String(v)}`));
  return parts.length > 0 ? parts.join(', ') : fallback;
}

/** A run labelled anew from `settings` (some keys dropped or named), with the same fallback as `labelRuns`. */
export function withSettings(run: LabelledRunView, settings: Readonly<Record<string, SettingValue>>, named: readonly string[] = run.named ?? []): LabelledRunView {
  const kept = named.filter((k) => k in settings);
  return { ...run, settings, setting: settingLabel(settings, run.info?.model.name ?? run.summary?.modelName ?? run.id, kept), ...(kept.length > 0 ? { named: kept } : {}) };
}

/**
 * Runs with a preset's names in place of the values they name: each group's keys become one key,
 * its title, whose value is the name (placed where the group's first key was).
 */
export function nameSettings(runs: readonly LabelledRunView[], groups: readonly SettingNames[]): LabelledRunView[] {
  if (groups.length === 0) return [...runs];
  return runs.map((run) => {
    let settings: Record<string, SettingValue> = { ...run.settings };
    const named = [...(run.named ?? [])];
    for (const group of groups) {
      const entry = group.names.find((n) => group.keys.every((k, i) => settings[k] === n.values[i]));
      if (entry === undefined) continue;
      settings = Object.fromEntries(Object.entries(settings).flatMap(([k, v]): Array<[string, SettingValue]> => (k === group.keys[0] ? [[group.title, entry.name]] : group.keys.includes(k) ? [] : [[k, v]])));
      named.push(group.title);
    }
    return withSettings(run, settings, named);
  });
}

/**
 * Labels runs: a sweep's cells (`inSweep`) by their overrides, other runs by whatever differs
 * between their configs; a run with nothing to tell it apart is named by its model, or its id.
 */
export function labelRuns(runs: readonly RunView[], inSweep: (run: RunView) => boolean): LabelledRunView[] {
  const flat = runs.map((r) => flatConfig(r.config));
  const varying = varyingKeys(flat.filter((_, i) => runs[i]!.config !== undefined));
  return runs.map((r, i) => {
    const settings: Record<string, SettingValue> = {};
    if (inSweep(r)) {
      for (const [k, v] of Object.entries(r.overrides)) {
        const s = asSetting(v);
        if (!replicateKeys.has(k) && s !== undefined) settings[k] = s;
      }
    } else {
      for (const k of varying) if (flat[i]![k] !== undefined) settings[k] = flat[i]![k]!;
    }
    return { ...r, settings, setting: settingLabel(settings, r.info?.model.name ?? r.summary?.modelName ?? r.id) };
  });
}
