import { describe, expect, it } from 'vitest';
import { gramSpectrumSpec } from './charts/gram-spectrum';
import { lossCurvesSpec } from './charts/loss-curves';
import { recordCurvesSpec } from './charts/record-curves';
import { weightMovementSpec } from './charts/weight-movement';
import { fixtureRecords } from './test-fixtures';
import { someSeriesTooShortForLine, stepAxis } from './theme';

/** Every `x` encoding anywhere in a spec (layers, stacked panels, facets). */
function xEncodings(node: unknown): unknown[] {
  if (Array.isArray(node)) return node.flatMap(xEncodings);
  if (node === null || typeof node !== 'object') return [];
  const own = (node as { encoding?: { x?: unknown } }).encoding?.x;
  return [...(own !== undefined ? [own] : []), ...Object.entries(node).flatMap(([key, value]) => (key === 'encoding' || key === 'datasets' ? [] : xEncodings(value)))];
}

describe('the step axis', () => {
  const oneSetting = [{ run: 'r', setting: 'depth=2', seed: 0, records: fixtureRecords({ depth: 2, seed: 0 }) }];
  const twoSettings = [1, 2].map((depth) => ({ run: `d${depth}`, setting: `depth=${depth}`, seed: 0, records: fixtureRecords({ depth, seed: 0 }) }));
  const figures = {
    'training loss': lossCurvesSpec(twoSettings),
    'a record field': recordCurvesSpec(oneSetting, { kind: 'spectrum', field: 'trace', yTitle: 'trace' }),
    'Gram spectrum': gramSpectrumSpec(oneSetting),
    'weight movement, one setting': weightMovementSpec(oneSetting),
    'weight movement, a panel per layer': weightMovementSpec(twoSettings),
  };

  it.each(Object.entries(figures))('is the one whole-number step axis in %s', (_, spec) => {
    const steps = xEncodings(spec).filter((x) => (x as { field?: unknown }).field === 'step');
    expect(steps.length).toBeGreaterThan(0);
    for (const x of steps) expect(x).toEqual(stepAxis);
  });
});

describe('someSeriesTooShortForLine', () => {
  it('asks for points when a series has fewer than three, whatever the others have', () => {
    expect(someSeriesTooShortForLine(['a', 'a', 'a', 'b'])).toBe(true);
    expect(someSeriesTooShortForLine(['a', 'a', 'b', 'b'])).toBe(true);
    expect(someSeriesTooShortForLine(['a', 'a', 'a', 'b', 'b', 'b'])).toBe(false);
    expect(someSeriesTooShortForLine([])).toBe(false);
  });
});
