import { ConfigError } from '@overparam/core';
import type { TopLevelSpec } from 'vega-lite';
import { figureSpec } from '../theme';

/** Beyond this many examples a cell is under a pixel or two wide and the file grows as n². */
export const maxHeatmapSize = 96;

export interface GramCell {
  readonly i: number;
  readonly j: number;
  readonly value: number;
}

/** A square symmetric matrix (a Gram of n examples) as rows and columns of cells. */
export function gramCells(matrix: readonly (readonly number[])[]): GramCell[] {
  const n = matrix.length;
  if (n === 0 || n > maxHeatmapSize) throw new ConfigError('gram', `a heatmap needs 1 to ${maxHeatmapSize} examples, got ${n}; take a smaller n for the picture`);
  const cells: GramCell[] = [];
  matrix.forEach((row, i) => {
    if (row.length !== n) throw new ConfigError('gram', `row ${i} has ${row.length} entries, the matrix ${n} rows; pass the n × n Gram`);
    row.forEach((value, j) => cells.push({ i, j, value }));
  });
  return cells;
}

/** A heatmap of a Gram matrix on a diverging scale symmetric about 0: negative inner products (conflicting gradients) red, positive blue. */
export function gramHeatmapSpec(matrix: readonly (readonly number[])[], options: { title?: string } = {}): TopLevelSpec {
  const cells = gramCells(matrix);
  const side = Math.min(360, Math.max(120, 12 * matrix.length));
  const axis = (title: string) => ({ type: 'ordinal', title, axis: { grid: false, ...(matrix.length > 24 ? { labels: false, ticks: false } : {}) } });
  // A symmetric domain, so a colour's depth means the same magnitude on both sides of 0.
  const extent = Math.max(...cells.map((c) => Math.abs(c.value))) || 1;
  return figureSpec(
    { cells },
    {
      ...(options.title !== undefined ? { title: options.title } : {}),
      width: side,
      height: side,
      data: { name: 'cells' },
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'j', ...axis('example j') },
        y: { field: 'i', ...axis('example i') },
        color: { field: 'value', type: 'quantitative', title: 'G_ij', scale: { scheme: 'redblue', domain: [-extent, extent] } },
      },
    },
  );
}
