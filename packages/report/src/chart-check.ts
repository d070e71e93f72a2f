import type { TopLevelSpec } from 'vega-lite';
import { expect } from 'vitest';
import { compileFigure } from './render';

/** Test-only: a spec's named data set, and the check that Vega-Lite compiles it without a warning. */
export function datasetOf<T>(spec: TopLevelSpec, name: string): T[] {
  const datasets = (spec as { datasets?: Record<string, unknown[]> }).datasets;
  expect(datasets, 'the spec keeps its data in `datasets`').toBeDefined();
  expect(datasets![name], `dataset '${name}'`).toBeDefined();
  return datasets![name] as T[];
}

export function expectCompilesCleanly(spec: TopLevelSpec): void {
  const { vega, warnings } = compileFigure(spec);
  expect(warnings).toEqual([]);
  expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
}
