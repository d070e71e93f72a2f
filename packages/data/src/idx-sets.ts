import { ConfigError, type Dataset } from '@overparam/core';
import { splitPools, type ExamplePool, type SplitSpec } from './assemble';
import { DataCorruptError, DataUnavailableError } from './errors';
import { readIdxFile } from './idx';
import { findFile, isDirectory } from './node-io';

/** The MNIST-format sets: four IDX files each, 28×28 grey images and labels 0–9. */
export type IdxSetName = 'mnist-full' | 'fashion-mnist';

/** Where Debian's `dataset-fashion-mnist` package installs its four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const SIDE = 28;
const CLASSES = 10;

/** Factors an image side of 28 divides by: `downscale` f averages f × f blocks, giving (28/f)² pixels. */
export const IDX_DOWNSCALE_FACTORS = [1, 2, 4, 7] as const;

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof FILES;

/** Accepted spellings: as distributed (`.gz`), unpacked, and the `.idx3-ubyte` variant some mirrors use. */
function candidates(base: string): string[] {
  const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
  return [base, `${base}.gz`, dotted, `${dotted}.gz`];
}

export const IDX_SET_INFO: Record<IdxSetName, { title: string; howToGet: string; defaultDir?: string }> = {
  'mnist-full': {
    title: 'the full MNIST digits (60,000 training / 10,000 test images)',
    howToGet:
      'Put the four MNIST files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, gzipped or not) in a directory and pass it with --data-dir; packages/data/README.md says where to get them',
  },
  'fashion-mnist': {
    title: 'Fashion-MNIST (60,000 training / 10,000 test images of clothing, 10 classes)',
    howToGet: `Install the Debian package (apt-get install dataset-fashion-mnist, which puts the files in ${DEBIAN_FASHION_MNIST_DIR}) or put the four Fashion-MNIST IDX files in a directory and pass it with --data-dir`,
    defaultDir: DEBIAN_FASHION_MNIST_DIR,
  },
};

/** The four files of `name` in `dir` (or the default directory), or why they cannot be used. */
export function locateIdxSet(name: IdxSetName, dir: string | undefined): { files: Record<FileKey, string> } | { missing: string } {
  const info = IDX_SET_INFO[name];
  const where = dir ?? info.defaultDir;
  if (where === undefined) return { missing: 'no --data-dir given' };
  if (!isDirectory(where)) return { missing: `${where} is not a directory` };
  const files: Partial<Record<FileKey, string>> = {};
  const absent: string[] = [];
  for (const key of Object.keys(FILES) as FileKey[]) {
    const found = findFile(where, candidates(FILES[key]));
    if (found === undefined) absent.push(FILES[key]);
    else files[key] = found;
  }
  if (absent.length > 0) return { missing: `${where} lacks ${absent.join(', ')} (raw or .gz)` };
  return { files: files as Record<FileKey, string> };
}

function readPool(imagesFile: string, labelsFile: string, downscale: number): ExamplePool {
  const images = readIdxFile(imagesFile, { type: 'uint8', dims: [null, SIDE, SIDE] });
  const labels = readIdxFile(labelsFile, { type: 'uint8', dims: [null] });
  const n = images.dims[0]!;
  if (labels.dims[0] !== n) throw new DataCorruptError(labelsFile, { offset: 4 }, `holds ${labels.dims[0]} labels but ${imagesFile} holds ${n} images; expected one label per image`);
  const y = labels.data as Uint8Array;
  for (let i = 0; i < n; i++) {
    if (y[i]! >= CLASSES) throw new DataCorruptError(labelsFile, { offset: 8 + i }, `label ${y[i]} of example ${i}; expected 0–9`);
  }
  const pixels = images.data as Uint8Array;
  const side = SIDE / downscale;
  const block = downscale * downscale * 255;
  return {
    n,
    labels: y,
    copy(k, out, at) {
      const from = k * SIDE * SIDE;
      for (let r = 0; r < side; r++) {
        for (let c = 0; c < side; c++) {
          let sum = 0;
          for (let i = 0; i < downscale; i++) for (let j = 0; j < downscale; j++) sum += pixels[from + (r * downscale + i) * SIDE + c * downscale + j]!;
          out[at + r * side + c] = sum / block;
        }
      }
    },
  };
}

/** How an MNIST-format set is read: the split, and a downscale factor for laptop-sized conv nets. */
export interface IdxSetSpec extends SplitSpec {
  /** Average f × f blocks of pixels (one of IDX_DOWNSCALE_FACTORS); default 1, the images as they are. */
  readonly downscale?: number;
}

/**
 * Loads an MNIST-format set from its IDX files: 784 grey levels in [0, 1] per example (flat, like
 * the `mnist` set, so MLPs take it as it is; (28/f)² with `downscale` f), labels 0–9, split as
 * `spec` says.
 */
export function loadIdxSet(name: IdxSetName, dir: string | undefined, spec: IdxSetSpec = {}): Dataset {
  const located = locateIdxSet(name, dir);
  if ('missing' in located) throw new DataUnavailableError(name, located.missing, IDX_SET_INFO[name].howToGet);
  const { files } = located;
  const downscale = spec.downscale ?? 1;
  if (!(IDX_DOWNSCALE_FACTORS as readonly number[]).includes(downscale)) throw new ConfigError('dataOptions.downscale', `expected one of ${IDX_DOWNSCALE_FACTORS.join(', ')} (a divisor of ${SIDE}), got ${downscale}`);
  const pixels = (SIDE / downscale) ** 2;
  const splits = splitPools(readPool(files.trainImages, files.trainLabels, downscale), readPool(files.testImages, files.testLabels, downscale), CLASSES, pixels, spec);
  const sizes = [splits.train.n, splits.validation?.n, splits.test.n].filter((v) => v !== undefined).join(' / ');
  return {
    name,
    inputShape: [pixels],
    task: 'classification',
    numClasses: CLASSES,
    ...splits,
    description: `${IDX_SET_INFO[name].title} from ${files.trainImages.replace(/[^/\\]*$/, '')}, ${spec.split ?? 'paper'} split ${sizes}${downscale > 1 ? `, downscaled to ${SIDE / downscale}×${SIDE / downscale}` : ''}`,
  };
}
