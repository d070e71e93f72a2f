import { gramHeatmapSpec } from './charts/gram-heatmap';

/** A measurement directory (`overparam measure`): measure.json and, for Gram metrics, the matrix from gram.f64. */
export interface MeasurementView {
  readonly id: string;
  /** measure.json as written. */
  readonly summary: Readonly<Record<string, unknown>>;
  /** The n × n Gram when the metric has one and it is small enough to draw; else null. */
  readonly gram: readonly (readonly number[])[] | null;
}

/** What each Gram metric's matrix is, for the heatmap's caption. */
const gramMeaning: Readonly<Record<string, string>> = {
  'loss-gram': 'the loss Gram G_ij = ⟨∇ℓ_i, ∇ℓ_j⟩ of per-example loss gradients',
  'ntk-gram': 'the empirical NTK G_ij = ⟨∇f_i, ∇f_j⟩ of per-example output gradients',
  'population-gram': 'the population Gram K⁽ᴴ⁾ of Du et al. (the infinite-width limit kernel)',
};

/** Bookkeeping in measure.json that the table leaves out (the files are listed beside it). */
const notShown = new Set(['files', 'gramFile']);

/** measure.json as `key → value` rows: scalars as they are, `model` by name and size, anything else as JSON. */
export function measurementRows(summary: Readonly<Record<string, unknown>>): Array<[string, string | number | boolean | null]> {
  const rows: Array<[string, string | number | boolean | null]> = [];
  for (const [key, value] of Object.entries(summary)) {
    if (notShown.has(key) || value === undefined) continue;
    if (key === 'model' && value !== null && typeof value === 'object') {
      const m = value as { name?: unknown; paramCount?: unknown };
      rows.push(['model', `${String(m.name)} (${String(m.paramCount)} parameters)`]);
    } else if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      rows.push([key, value]);
    } else {
      rows.push([key, JSON.stringify(value)]);
    }
  }
  return rows;
}

/** The heatmap of a measurement's Gram, with a caption saying which Gram it is. */
export function measurementFigure(m: MeasurementView): { id: string; title: string; caption: string; spec: ReturnType<typeof gramHeatmapSpec> } | undefined {
  if (m.gram === null) return undefined;
  const metric = String(m.summary['metric'] ?? 'gram');
  const meaning = gramMeaning[metric] ?? `the ${metric} matrix`;
  return {
    id: `gram-${m.id}`.replace(/[^a-z0-9-]+/gi, '-'),
    title: `Gram matrix: ${m.id}`,
    caption: `${meaning[0]!.toUpperCase()}${meaning.slice(1)}, of ${m.gram.length} training examples (gram.f64 of ${m.id}). Colours symmetric about 0 (the scale runs to ± the largest |G_ij|): red entries are negative, pairs whose gradients conflict; blue positive, the diagonal holds the squared gradient norms.`,
    spec: gramHeatmapSpec(m.gram),
  };
}
