import type { MeasurementFiles } from '@overparam/experiments';
import { gramHeatmapSpec } from './charts/gram-heatmap';

/**
 * A measurement directory (`overparam measure`) as experiments' `readMeasurementFiles` reads it:
 * measure.json and, for metrics with a matrix, the Gram from gram.f64 when small enough to draw.
 */
export interface MeasurementView extends Readonly<MeasurementFiles> {
  readonly id: string;
}

/** What a measurement's matrix is, for the heatmap's caption: K⁽ᴴ⁾, or a gradient Gram by what it is of. */
function gramMeaning(summary: Readonly<Record<string, unknown>>): string {
  if (summary['metric'] === 'population-gram') return 'the population Gram K⁽ᴴ⁾ of Du et al. (the infinite-width limit kernel)';
  if (summary['of'] === 'loss') return 'the loss Gram G_ij = ⟨∇ℓ_i, ∇ℓ_j⟩ of per-example loss gradients';
  if (summary['of'] === 'output') return 'the empirical NTK G_ij = ⟨∇f_i, ∇f_j⟩ of per-example output gradients';
  return `the ${String(summary['metric'] ?? 'gram')} matrix`;
}

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
  const meaning = gramMeaning(m.summary);
  return {
    id: `gram-${m.id}`.replace(/[^a-z0-9-]+/gi, '-'),
    title: `Gram matrix: ${m.id}`,
    caption: `${meaning[0]!.toUpperCase()}${meaning.slice(1)}, of ${m.gram.length} training examples (gram.f64 of ${m.id}). Colours symmetric about 0 (the scale runs to ± the largest |G_ij|): red entries are negative, pairs whose gradients conflict; blue positive, the diagonal holds the squared gradient norms.`,
    spec: gramHeatmapSpec(m.gram),
  };
}
