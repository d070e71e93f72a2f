import { describe, expect, it } from 'vitest';
import { datasetOf, expectCompilesCleanly } from '../chart-check';
import { sweptStatisticSpec, type SweptAggregate, type SweptValue } from './swept-statistic';

const values: SweptValue[] = [
  { run: 'a', series: 'w=16', seed: 0, x: 1, value: 0.1 },
  { run: 'b', series: 'w=16', seed: 1, x: 1, value: 0.3 },
  { run: 'c', series: 'w=16', seed: 2, x: 1, value: 0.2 },
  { run: 'd', series: 'w=16', seed: 0, x: 4, value: -0.5 },
  { run: 'e', series: 'w=16', seed: 1, x: 4, value: Number.NaN },
];

describe('sweptStatisticSpec', () => {
  it('keeps every finite value and aggregates mean ± sample std per swept value', () => {
    const spec = sweptStatisticSpec(values, { keyTitle: 'depth', statisticTitle: 'min cosine', seriesTitle: 'activation' });
    expect(datasetOf<SweptValue>(spec, 'values')).toEqual(values.slice(0, 4));
    const aggregates = datasetOf<SweptAggregate>(spec, 'aggregates');
    // {0.1, 0.3, 0.2}: mean 0.2, sample variance (0.01 + 0.01 + 0)/2 = 0.01, std 0.1.
    expect(aggregates[0]).toMatchObject({ x: 1, seeds: 3 });
    expect(aggregates[0]!.mean).toBeCloseTo(0.2, 14);
    expect(aggregates[0]!.std).toBeCloseTo(0.1, 14);
    expect(aggregates[0]!.lower).toBeCloseTo(0.1, 14);
    expect(aggregates[1]).toEqual({ series: 'w=16', x: 4, mean: -0.5, std: 0, lower: -0.5, upper: -0.5, seeds: 1 });
    expectCompilesCleanly(spec);
  });

  it('puts a geometric grid on a log axis and a depth grid on a linear one', () => {
    const xScale = (xs: number[]) => {
      const spec = sweptStatisticSpec(
        xs.map((x, i) => ({ run: `r${i}`, series: 's', seed: 0, x, value: i })),
        { keyTitle: 'k', statisticTitle: 's', seriesTitle: 'series' },
      ) as unknown as { layer: Array<{ encoding: { x: { scale: { type?: string } } } }> };
      return spec.layer[0]!.encoding.x.scale.type;
    };
    expect(xScale([16, 64, 256, 1024])).toBe('log');
    expect(xScale([0.01, 0.03, 0.1, 0.3, 1])).toBe('log');
    expect(xScale([1, 2, 3, 4])).toBeUndefined();
  });
});
