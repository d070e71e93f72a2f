import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOverparamError, UnknownNameError } from '@overparam/core';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_DATA_VALUES } from './catalog';
import { dataSetAvailability, dataSetNames, dataSets, dataSetTask, loadDataSet, parseDataOptions } from './registry';

const dir = mkdtempSync(join(tmpdir(), 'overparam-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ALL = ['mnist', 'synthetic', 'mnist-full', 'fashion-mnist', 'cifar10', 'cifar100', 'csv', 'gaussian-regression', 'sphere', 'lp-regression', 'synthetic-images', 'gas-sensor'];

describe('data set registry', () => {
  it('lists every data set, each described', () => {
    expect(dataSetNames).toEqual(ALL);
    for (const d of dataSets) expect(d.description.length).toBeGreaterThan(0);
  });

  it('loads the MNIST-sized synthetic set, seeded', () => {
    const a = loadDataSet('synthetic', { seed: 1 });
    expect(a.inputShape).toEqual([784]);
    expect(a.numClasses).toBe(10);
    expect([a.train.n, a.test!.n]).toEqual([2000, 500]);
    expect(loadDataSet('synthetic', { seed: 1 }).train.y).toEqual(a.train.y);
    expect(loadDataSet('synthetic', { seed: 2 }).train.y).not.toEqual(a.train.y);
  });

  it('says each set’s task before loading it, and the loaded data agree', () => {
    expect(dataSets.filter((d) => dataSetTask(d.name) === 'regression').map((d) => d.name)).toEqual(['csv', 'gaussian-regression', 'sphere', 'lp-regression', 'gas-sensor']);
    const small: Record<string, Record<string, unknown>> = { 'gaussian-regression': {}, sphere: { n: 4, testN: 2, d: 3 }, 'lp-regression': { n: 6, d: 3 }, 'synthetic-images': { n: 20, validationN: 0, testN: 10 } };
    for (const d of dataSets.filter((e) => e.source !== 'files')) expect(loadDataSet(d.name, { options: small[d.name] ?? {} }).task).toBe(d.task);
  });

  it('throws DATA_UNKNOWN naming the allowed data sets', () => {
    let caught: unknown;
    try {
      loadDataSet('cifar-1000');
    } catch (e) {
      caught = e;
    }
    expect(isOverparamError(caught)).toBe(true);
    expect(caught).toBeInstanceOf(UnknownNameError);
    expect((caught as UnknownNameError).code).toBe('DATA_UNKNOWN');
    expect((caught as UnknownNameError).allowed).toEqual(ALL);
  });

  it('loads each synthetic set by name with its options', () => {
    const g = loadDataSet('gaussian-regression', { options: { d: 120 } });
    expect(g.inputShape).toEqual([120]);
    expect(g.train.n).toBe(100);
    expect(loadDataSet('sphere', { options: { d: 10, n: 20, testN: 5, teacher: 'tanh', hidden: 4 } }).inputShape).toEqual([10]);
    expect(loadDataSet('lp-regression', { options: { n: 30, d: 5 } }).train.x.length).toBe(150);
    const images = loadDataSet('synthetic-images', { options: { n: 40, validationN: 10, testN: 10, flatten: true } });
    expect(images.inputShape).toEqual([3072]);
  });

  it('rejects unknown and ill-typed options as ConfigErrors naming dataOptions.<key>', () => {
    expect(() => parseDataOptions('sphere', { teacher: 'relu' })).toThrow(expect.objectContaining({ field: 'dataOptions.teacher' }));
    expect(() => parseDataOptions('mnist', { d: 3 })).toThrow(expect.objectContaining({ field: 'dataOptions.d' }));
    expect(() => parseDataOptions('gaussian-regression', { n: 0 })).toThrow(expect.objectContaining({ field: 'dataOptions.n' }));
    expect(parseDataOptions('cifar100', {})).toEqual({ split: 'paper', trainSize: 40000, validationSize: 10000, standardize: true, labels: 'fine' });
  });

  it('refuses a generated set too large to allocate before allocating it, naming the limit and the options to lower', () => {
    const tooLarge = () => parseDataOptions('gaussian-regression', { n: 1e9 });
    expect(tooLarge).toThrow(expect.objectContaining({ field: 'dataOptions.n', fix: 'lower n or d' }));
    expect(tooLarge).toThrow(`n = 1000000000, d = 80 asks 'gaussian-regression' for 1.62e+11 float32 values, more than the ${MAX_DATA_VALUES.toLocaleString('en-US')} (4 GiB) one data set holds`);
    expect(() => loadDataSet('synthetic-images', { options: { n: 400_000 } })).toThrow(expect.objectContaining({ field: 'dataOptions.n', fix: 'lower n or validationN or testN' }));
    expect(() => parseDataOptions('sphere', { n: 1e7, d: 200 })).toThrow(expect.objectContaining({ field: 'dataOptions.n' }));
    // Every generated set's default size is well inside the limit, and so is the largest a preset asks for.
    for (const name of ['gaussian-regression', 'sphere', 'lp-regression', 'synthetic-images']) expect(() => parseDataOptions(name, {})).not.toThrow();
    expect(() => parseDataOptions('synthetic-images', { n: 50_000, validationN: 10_000, testN: 10_000 })).not.toThrow();
  });

  it('takes class-balanced training subsets', () => {
    const sub = loadDataSet('mnist', { options: { trainSubset: 100 } });
    expect(sub.train.n).toBe(100);
    const counts = new Array<number>(10).fill(0);
    for (const k of sub.train.y) counts[k]!++;
    expect(counts).toEqual(new Array(10).fill(10));
    expect(sub.test!.n).toBe(2004);
    expect(() => loadDataSet('synthetic', { options: { trainSubset: 5000 } })).toThrow(expect.objectContaining({ field: 'dataOptions.trainSubset' }));
  });

  it('reports availability with a reason, and loads a CSV file given by path once', () => {
    expect(dataSetAvailability('synthetic-images')).toEqual({ available: true });
    expect(dataSetAvailability('mnist').available).toBe(true);
    const cifar = dataSetAvailability('cifar10', { dataDir: dir });
    expect(cifar.available).toBe(false);
    expect(cifar.reason).toContain('cifar-10-binary.tar.gz');
    expect(dataSetAvailability('csv').reason).toContain('--data-file');
    const file = join(dir, 'table.csv');
    writeFileSync(file, 'x1,x2,y\n1,2,3\n4,5,6\n');
    expect(dataSetAvailability('csv', { dataFile: file })).toEqual({ available: true });
    const a = loadDataSet('csv', { dataFile: file });
    expect(a.task).toBe('regression');
    expect([a.train.n, a.inputShape[0]]).toEqual([2, 2]);
    expect(loadDataSet('csv', { dataFile: file })).toBe(a);
    expect(() => loadDataSet('csv')).toThrow(expect.objectContaining({ code: 'DATA_UNAVAILABLE' }));
  });
});
