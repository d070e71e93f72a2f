import { lrSearchGrid, lrSearchRuns, type LrSearch } from '../sweep/lr-search';
import type { Preset, PresetScale, PresetSweep } from './preset';

/**
 * A preset's protocol at one scale against its paper scale, read from the preset's own sweeps (never
 * written by hand), so a difference between what ran and what the paper did cannot be silent.
 */
export interface ProtocolRow {
  readonly aspect: string;
  readonly paper: string;
  readonly thisScale: string;
  readonly differs: boolean;
}

export interface PresetProtocol {
  readonly scale: PresetScale;
  readonly rows: readonly ProtocolRow[];
}

type Aspect = (sweep: PresetSweep) => string;

/** A config value in words: strings as they are, an object's fields as `key value` in parentheses (none when empty), arrays in brackets. */
const text = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(text).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `(${Object.entries(v).map(([k, x]) => `${k} ${text(x)}`).join(', ')})`;
  return JSON.stringify(v);
};
/** ` (key value, …)` after a name, or nothing for absent or empty options. */
const options = (v: unknown): string => (v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0) ? '' : ` ${text(v)}`);
const base = (sweep: PresetSweep, key: string): unknown => (sweep.base as Record<string, unknown>)[key];
const metricsOf = (sweep: PresetSweep) => (Array.isArray(base(sweep, 'metrics')) ? (base(sweep, 'metrics') as Array<Record<string, unknown>>) : []);
const list = (values: readonly unknown[]) => (values.length > 6 ? `${values.slice(0, 3).map(text).join(', ')}, …, ${text(values.at(-1))} (${values.length})` : values.map(text).join(', '));

/** Each aspect the issue asks a reader to be able to compare, as one line of text per sweep. */
const aspects: ReadonlyArray<[string, Aspect]> = [
  [
    'data',
    (s) => `${text(base(s, 'data') ?? 'the config default')}${options(base(s, 'dataOptions'))}`,
  ],
  ['model', (s) => `${text(base(s, 'arch') ?? 'swept')}${options(base(s, 'archOptions'))}`],
  ['grid', (s) => Object.entries((s['grid'] ?? {}) as Record<string, readonly unknown[]>).map(([k, v]) => `${k} ∈ {${list(v)}}`).join('; ') || 'none'],
  ['steps', (s) => text(base(s, 'steps') ?? 'the config default')],
  ['batch', (s) => text(base(s, 'batchSize') ?? 'the config default')],
  [
    'pairs',
    (s) => {
      const m = metricsOf(s).filter((x) => x['name'] === 'minibatch-confusion');
      return m.length === 0 ? 'none measured' : m.map((x) => `${text(x['pairs'] ?? 'default')} pairs of ${text(x['batchSize'] ?? 'the training batch')}`).join('; ');
    },
  ],
  [
    'LR rule',
    (s) => {
      const search = s['lrSearch'] as LrSearch | undefined;
      if (search !== undefined) return `${search.rule} over {${list(lrSearchGrid(search))}}`;
      return base(s, 'lr') !== undefined ? `fixed lr = ${text(base(s, 'lr'))}` : 'the config default';
    },
  ],
  [
    'seeds',
    (s) => {
      // A searched rate runs the rule's number of seeds per rate; otherwise the sweep's seeds.
      const search = s['lrSearch'] as LrSearch | undefined;
      if (search !== undefined) return `${lrSearchRuns(search)} per rate`;
      return Array.isArray(s['seeds']) ? `${(s['seeds'] as unknown[]).length}` : '1';
    },
  ],
  ['statistic', (s) => metricsOf(s).map((x) => Object.entries(x).filter(([k]) => k !== 'every' && k !== 'start' && k !== 'end').map(([k, v]) => (k === 'name' ? text(v) : `${k} ${text(v)}`)).join(' ')).join('; ') || 'training loss only'],
];

/** One aspect over every sweep of a scale: `key: value` per sweep, or the value once when all agree. */
function describe(sweeps: Readonly<Record<string, PresetSweep>>, aspect: Aspect): string {
  const parts = Object.entries(sweeps).map(([key, sweep]) => [key, aspect(sweep)] as const);
  return new Set(parts.map(([, v]) => v)).size === 1 ? parts[0]![1] : parts.map(([k, v]) => `${k}: ${v}`).join(' | ');
}

export function presetProtocol(preset: Preset, scale: PresetScale): PresetProtocol {
  const paper = preset.scales.paper.sweeps;
  const ran = preset.scales[scale].sweeps;
  const rows = aspects.map(([aspect, read]) => {
    const p = describe(paper, read);
    const t = describe(ran, read);
    return { aspect, paper: p, thisScale: t, differs: p !== t };
  });
  return { scale, rows: [...rows, { aspect: 'scaled down', paper: '—', thisScale: preset.scales[scale].scaledDown, differs: scale !== 'paper' }] };
}
