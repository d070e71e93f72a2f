import { ConfigError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { gramHeatmapSpec, maxHeatmapSize, type GramCell } from './gram-heatmap';

describe('gramHeatmapSpec', () => {
  it('has one cell per matrix entry with its value', () => {
    const g = [
      [2, -1, 0.5],
      [-1, 3, 0],
      [0.5, 0, 1],
    ];
    const spec = gramHeatmapSpec(g);
    const cells = datasetOf<GramCell>(spec, 'cells');
    expect(cells).toHaveLength(9);
    for (const c of cells) expect(c.value).toBe(g[c.i]![c.j]);
    expectCompilesCleanly(spec);
  });

  it('refuses a matrix too large or not square, naming the fix', () => {
    const big = Array.from({ length: maxHeatmapSize + 1 }, () => new Array<number>(maxHeatmapSize + 1).fill(0));
    expect(() => gramHeatmapSpec(big)).toThrow(ConfigError);
    expect(() => gramHeatmapSpec(big)).toThrow(/smaller n/);
    expect(() => gramHeatmapSpec([[1, 2], [3]])).toThrow(/n × n/);
  });
});
