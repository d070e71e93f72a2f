import type { Dataset } from '@overparam/core';
import { splitPools, type ExamplePool, type SplitSpec } from './assemble';
import { CIFAR_PIXELS, cifarClasses, copyCifarImage, readCifarBatch, type CifarBatch, type CifarVariant } from './cifar';
import { DataUnavailableError } from './errors';
import { findFile, isDirectory, nodeBuiltins } from './node-io';
import { standardizeChannelsInPlace } from './preprocess';

const LAYOUT: Record<CifarVariant, { folder: string; train: string[]; test: string; title: string; archive: string }> = {
  cifar10: {
    folder: 'cifar-10-batches-bin',
    train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
    test: 'test_batch.bin',
    title: 'CIFAR-10 (50,000 training / 10,000 test colour images, 10 classes)',
    archive: 'cifar-10-binary.tar.gz',
  },
  cifar100: {
    folder: 'cifar-100-binary',
    train: ['train.bin'],
    test: 'test.bin',
    title: 'CIFAR-100 (50,000 training / 10,000 test colour images, 100 classes in 20 superclasses)',
    archive: 'cifar-100-binary.tar.gz',
  },
};

export function cifarHowToGet(variant: CifarVariant): string {
  const l = LAYOUT[variant];
  return `Download the "binary version" archive ${l.archive} (packages/data/README.md says from where), unpack it and pass the unpacked ${l.folder} directory, or the directory holding it, with --data-dir`;
}

export interface CifarOptions extends SplitSpec {
  /** CIFAR-100 only: the 100 fine classes (default) or the 20 coarse superclasses. */
  readonly labels?: 'fine' | 'coarse';
  /** Per-channel standardization with training-split statistics, as the WRN recipe does. Default true. */
  readonly standardize?: boolean;
}

/** The batch files of `variant` under `dir` (itself, or its standard sub-folder), or why not. */
export function locateCifar(variant: CifarVariant, dir: string | undefined): { train: string[]; test: string } | { missing: string } {
  if (dir === undefined) return { missing: 'no --data-dir given' };
  const l = LAYOUT[variant];
  const { path } = nodeBuiltins('finding CIFAR files');
  const roots = [dir, path.join(dir, l.folder)].filter(isDirectory);
  if (roots.length === 0) return { missing: `${dir} is not a directory` };
  for (const root of roots) {
    const train = l.train.map((f) => findFile(root, [f]));
    const test = findFile(root, [l.test]);
    if (train.every((f) => f !== undefined) && test !== undefined) return { train: train as string[], test };
  }
  return { missing: `neither ${dir} nor ${path.join(dir, l.folder)} holds ${[...l.train, l.test].join(', ')}` };
}

function pool(batches: readonly CifarBatch[], labels: 'fine' | 'coarse'): ExamplePool {
  const n = batches.reduce((s, b) => s + b.n, 0);
  const y = new Uint8Array(n);
  const owner = new Int32Array(n);
  const start: number[] = [];
  let at = 0;
  batches.forEach((b, i) => {
    start.push(at);
    y.set(labels === 'coarse' ? b.coarse! : b.fine, at);
    owner.fill(i, at, at + b.n);
    at += b.n;
  });
  return { n, labels: y, copy: (k, out, o) => copyCifarImage(batches[owner[k]!]!, k - start[owner[k]!]!, out, o) };
}

/**
 * Loads CIFAR-10 or CIFAR-100 from the binary batches: 32×32×3 inputs (height, width, channel),
 * scaled to [0, 1] and then, by default, standardized per channel with the training split's
 * statistics; split as `options` says (the papers' 40,000 / 10,000 / 10,000 by default).
 */
export function loadCifar(variant: CifarVariant, dir: string | undefined, options: CifarOptions = {}): Dataset {
  const located = locateCifar(variant, dir);
  if ('missing' in located) throw new DataUnavailableError(variant, located.missing, cifarHowToGet(variant));
  const labels = variant === 'cifar100' ? (options.labels ?? 'fine') : 'fine';
  const classes = cifarClasses(variant, labels);
  const trainPool = pool(located.train.map((f) => readCifarBatch(f, variant)), labels);
  const testPool = pool([readCifarBatch(located.test, variant)], labels);
  const splits = splitPools(trainPool, testPool, classes, CIFAR_PIXELS, options);
  const data: Dataset = { name: variant, inputShape: [32, 32, 3], task: 'classification', numClasses: classes, ...splits };
  const standardize = options.standardize ?? true;
  // The splits were just built and are referenced nowhere else: standardize them where they are.
  if (standardize) standardizeChannelsInPlace(data);
  const sizes = [splits.train.n, splits.validation?.n, splits.test.n].filter((v) => v !== undefined).join(' / ');
  return {
    ...data,
    description: `${LAYOUT[variant].title}${variant === 'cifar100' ? `, ${labels} labels` : ''}, ${options.split ?? 'paper'} split ${sizes}${standardize ? ', standardized per channel with training-split statistics' : ', values in [0, 1]'}`,
  };
}
