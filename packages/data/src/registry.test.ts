import { describe, it, expect } from 'vitest';
import { isOverparamError, UnknownNameError } from '@overparam/core';
import { dataSetNames, dataSets, loadDataSet } from './registry';

describe('data set registry', () => {
  it('lists mnist and synthetic', () => {
    expect(dataSetNames).toEqual(['mnist', 'synthetic']);
    for (const d of dataSets) expect(d.description.length).toBeGreaterThan(0);
  });

  it('loads the MNIST-sized synthetic set, seeded', () => {
    const a = loadDataSet('synthetic', { seed: 1 });
    expect(a.inputShape).toEqual([784]);
    expect(a.numClasses).toBe(10);
    expect(a.train.n).toBe(2000);
    expect(a.test!.n).toBe(500);
    expect(loadDataSet('synthetic', { seed: 1 }).train.y).toEqual(a.train.y);
    expect(loadDataSet('synthetic', { seed: 2 }).train.y).not.toEqual(a.train.y);
  });

  it('throws DATA_UNKNOWN naming the allowed data sets', () => {
    let caught: unknown;
    try {
      loadDataSet('cifar-100');
    } catch (e) {
      caught = e;
    }
    expect(isOverparamError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(UnknownNameError);
    expect((caught as UnknownNameError).code).toBe('DATA_UNKNOWN');
    expect((caught as UnknownNameError).allowed).toEqual(['mnist', 'synthetic']);
    expect((caught as Error).message).toContain('cifar-100');
  });
});
