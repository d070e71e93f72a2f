import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors';
import { parseKeyValues, readValue } from './key-value';

describe('key=value text', () => {
  it('reads values as JSON where they are JSON, as text otherwise', () => {
    expect(readValue(' 120 ')).toBe(120);
    expect(readValue('true')).toBe(true);
    expect(readValue('[4,3]')).toEqual([4, 3]);
    expect(readValue('{"name":"adam"}')).toEqual({ name: 'adam' });
    expect(readValue('glorot-normal')).toBe('glorot-normal');
  });

  it('splits pairs at a comma before another key, keeping a list its own commas', () => {
    const options = { field: 'dataOptions', example: 'n=120' };
    expect(parseKeyValues('n=120,d=4', options)).toEqual([['n', 120], ['d', 4]]);
    expect(parseKeyValues('hiddenWidths=[4,3], scale=0.5', options)).toEqual([['hiddenWidths', [4, 3]], ['scale', 0.5]]);
    expect(parseKeyValues('optimizer={"name":"adam","beta1":0.8}', options)).toEqual([['optimizer', { name: 'adam', beta1: 0.8 }]]);
    expect(parseKeyValues('every=5,values', { ...options, bareKeys: true })).toEqual([['every', 5], ['values', true]]);
  });

  it('says what to write when a part is no pair', () => {
    expect(() => parseKeyValues('n=1,oops', { field: 'dataOptions', example: 'n=120' })).toThrow(new ConfigError('dataOptions', "expected key=value, got 'oops'", 'e.g. n=120'));
    expect(() => parseKeyValues('=3', { field: 'set', example: 'lr=0.1' })).toThrow("set: expected key=value, got '=3'; e.g. lr=0.1");
  });
});

describe('ConfigError', () => {
  it('keeps its one-line message and carries its parts', () => {
    const e = new ConfigError('archOptions.depth', 'must be ≥ 1, got 0', 'give a positive depth');
    expect(e.message).toBe('archOptions.depth: must be ≥ 1, got 0; give a positive depth');
    expect(e.detail).toBe('must be ≥ 1, got 0; give a positive depth');
    expect(e.renamed('metrics.0.depth').message).toBe('metrics.0.depth: must be ≥ 1, got 0; give a positive depth');
    expect(new ConfigError('lr', 'must be > 0').detail).toBe('must be > 0');
  });
});
