import { describe, expect, it } from 'vitest';
import { parseMetricFlags, parseMetricSpecs } from './metric-spec';

describe('--metric flags', () => {
  it('quote the flag as written and name the key at fault, not the list index', () => {
    expect(() => parseMetricFlags(['spectrum:every=0'])).toThrow(/^metrics: in 'spectrum:every=0': every: Too small/);
    expect(() => parseMetricFlags(['spectrum:evry=2'])).toThrow("metrics: in 'spectrum:evry=2': evry: is not a known option of this metric");
    expect(() => parseMetricFlags(['entropy'])).toThrow(/^metrics: in 'entropy': unknown metric 'entropy'; expected one of: /);
    expect(parseMetricFlags(['spectrum:every=2'])).toEqual([{ name: 'spectrum', every: 2 }]);
  });

  it('name the field of a run config as metrics.<i>.<key>', () => {
    expect(() => parseMetricSpecs([{ name: 'spectrum' }, { name: 'spectrum', evry: 2 }])).toThrow(expect.objectContaining({ field: 'metrics.1.evry' }));
  });
});
