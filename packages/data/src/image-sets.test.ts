import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCifar } from './cifar-sets';
import { encodeCifarRecord } from './cifar';
import { DataCorruptError, DataUnavailableError } from './errors';
import { encodeIdx } from './idx';
import { loadIdxSet } from './idx-sets';
import { channelStats } from './preprocess';

const root = mkdtempSync(join(tmpdir(), 'overparam-sets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An MNIST-format directory: `perClass` training and 1 test image per class; pixel value = example index mod 256. */
function idxDir(name: string, perClass: number, options: { gzip?: boolean; badLabel?: boolean } = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const write = (file: string, bytes: Uint8Array) => writeFileSync(join(dir, options.gzip ? `${file}.gz` : file), options.gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, n] of [['train', 10 * perClass], ['t10k', 10]] as const) {
    const labels = Array.from({ length: n }, (_, i) => i % 10);
    if (options.badLabel === true && prefix === 'train') labels[4] = 10;
    write(`${prefix}-images-idx3-ubyte`, encodeIdx('uint8', [n, 28, 28], Array.from({ length: n * 784 }, (_, p) => Math.floor(p / 784) % 256)));
    write(`${prefix}-labels-idx1-ubyte`, encodeIdx('uint8', [n], labels));
  }
  return dir;
}

describe('MNIST-format sets from IDX files', () => {
  it('loads the official split: every training image, in order, as 784 values in [0, 1]', () => {
    const data = loadIdxSet('mnist-full', idxDir('official', 3, { gzip: true }), { split: 'official' });
    expect(data.inputShape).toEqual([784]);
    expect([data.train.n, data.test!.n]).toEqual([30, 10]);
    expect(data.validation).toBeUndefined();
    expect(data.train.x[7 * 784 + 100]).toBe(Math.fround(7 / 255));
    expect(Array.from(data.train.y.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('carves a class-balanced train/validation split from the training files', () => {
    const data = loadIdxSet('fashion-mnist', idxDir('paper', 3), { trainSize: 20, validationSize: 10 });
    expect([data.train.n, data.validation!.n, data.test!.n]).toEqual([20, 10, 10]);
    // Each class's first two examples (indices k, k + 10) train, its third (k + 20) validates.
    const source = (s: { x: Float32Array; n: number }) => Array.from({ length: s.n }, (_, i) => Math.round(s.x[i * 784]! * 255));
    expect(source(data.train).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(source(data.validation!).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i));
    // Files too small for the default sizes blame the files, not an option nobody gave (issue 19).
    expect(() => loadIdxSet('fashion-mnist', join(root, 'paper'))).toThrow(expect.objectContaining({ code: 'DATA_CORRUPT', message: expect.stringMatching(/^the training files hold \d+ examples, too few for the paper split's trainSize 40000 \+ validationSize 10000; /) }));
  });

  it('says how to get the files when they are missing, and names a bad label', () => {
    const missing = () => loadIdxSet('mnist-full', join(root, 'nowhere'));
    expect(missing).toThrow(DataUnavailableError);
    expect(missing).toThrow(/--data-dir/);
    expect(() => loadIdxSet('mnist-full', undefined)).toThrow(/no --data-dir given/);
    const bad = idxDir('bad-label', 3, { badLabel: true });
    expect(() => loadIdxSet('mnist-full', bad, { split: 'official' })).toThrow(DataCorruptError);
    expect(() => loadIdxSet('mnist-full', bad, { split: 'official' })).toThrow(/byte 12\): label 10 of example 4; expected 0–9/);
  });
});

describe('MNIST-format sets at laptop size', () => {
  /** One test image per class; pixel (r, c) of image e holds (3r + 5c + e) mod 256, so every block differs. */
  function gradientDir(): string {
    const dir = join(root, 'gradient');
    mkdirSync(dir);
    for (const [prefix, n] of [['train', 20], ['t10k', 10]] as const) {
      const pixels = Array.from({ length: n * 784 }, (_, p) => (3 * Math.floor((p % 784) / 28) + 5 * (p % 28) + Math.floor(p / 784)) % 256);
      writeFileSync(join(dir, `${prefix}-images-idx3-ubyte`), encodeIdx('uint8', [n, 28, 28], pixels));
      writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte`), encodeIdx('uint8', [n], Array.from({ length: n }, (_, i) => i % 10)));
    }
    return dir;
  }

  it('downscales by averaging f × f blocks, and tests on a class-balanced part of the test file', () => {
    const dir = gradientDir();
    const full = loadIdxSet('fashion-mnist', dir, { split: 'official' });
    for (const f of [2, 4, 7]) {
      const small = loadIdxSet('fashion-mnist', dir, { split: 'official', downscale: f });
      const side = 28 / f;
      expect(small.inputShape).toEqual([side * side]);
      // Reference: the mean of the full-size image's values over each block, summed in float64.
      for (const [e, r, c] of [[0, 0, 0], [3, side - 1, 1], [19, 2, side - 1]] as const) {
        let sum = 0;
        for (let i = r * f; i < (r + 1) * f; i++) for (let j = c * f; j < (c + 1) * f; j++) sum += full.train.x[e * 784 + i * 28 + j]!;
        expect(small.train.x[e * side * side + r * side + c]).toBeCloseTo(sum / (f * f), 6);
      }
    }
    const tested = loadIdxSet('fashion-mnist', dir, { split: 'official', testSize: 5 });
    expect(Array.from(tested.test!.y)).toEqual([0, 1, 2, 3, 4]);
    expect(() => loadIdxSet('fashion-mnist', dir, { split: 'official', downscale: 3 })).toThrow(expect.objectContaining({ field: 'dataOptions.downscale' }));
    expect(() => loadIdxSet('fashion-mnist', dir, { split: 'official', testSize: 11 })).toThrow(expect.objectContaining({ field: 'dataOptions.testSize' }));
  });
});

describe('Fashion-MNIST from the Debian package', () => {
  // CI installs dataset-fashion-mnist (.ci/run); elsewhere the loader must say how to get it.
  let data: ReturnType<typeof loadIdxSet> | undefined;
  let error: unknown;
  try {
    data = loadIdxSet('fashion-mnist', undefined, { split: 'official' });
  } catch (e) {
    error = e;
  }

  it('has 60,000 / 10,000 images of 10 balanced classes, or explains how to install it', () => {
    if (data === undefined) {
      expect(error).toBeInstanceOf(DataUnavailableError);
      expect((error as Error).message).toContain('apt-get install dataset-fashion-mnist');
      return;
    }
    expect([data.train.n, data.test!.n]).toEqual([60_000, 10_000]);
    expect(data.numClasses).toBe(10);
    for (const [split, per] of [[data.train, 6000], [data.test!, 1000]] as const) {
      const counts = new Array<number>(10).fill(0);
      for (const k of split.y) counts[k]!++;
      expect(counts).toEqual(new Array(10).fill(per));
    }
    // Real images, not blank files: the mean grey level of Fashion-MNIST is about 0.286.
    expect(channelStats(data.train, 1).mean[0]).toBeCloseTo(0.286, 2);
  });
});

describe('CIFAR sets from binary batches', () => {
  /** CIFAR-10 layout with `perClass` records per class and batch; pixel bytes vary by record and channel. */
  function cifar10Dir(perClass: number): string {
    const dir = join(root, 'cifar10', 'cifar-10-batches-bin');
    mkdirSync(dir, { recursive: true });
    let id = 0;
    const batch = () => {
      const records = Array.from({ length: 10 * perClass }, (_, i) =>
        encodeCifarRecord('cifar10', { fine: i % 10 }, Array.from({ length: 3072 }, (_, p) => (id * 7 + Math.floor(p / 1024) * 50 + (p % 13)) % 256)),
      );
      id++;
      return Uint8Array.from(records.flatMap((r) => Array.from(r)));
    };
    for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), batch());
    writeFileSync(join(dir, 'test_batch.bin'), batch());
    return join(root, 'cifar10');
  }

  it('finds the batches under the parent directory, splits them and standardizes with training statistics', () => {
    const dir = cifar10Dir(2);
    const data = loadCifar('cifar10', dir, { trainSize: 60, validationSize: 20 });
    expect(data.inputShape).toEqual([32, 32, 3]);
    expect([data.train.n, data.validation!.n, data.test!.n]).toEqual([60, 20, 20]);
    const stats = channelStats(data.train, 3);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(stats.mean[c]!)).toBeLessThan(1e-5);
      expect(stats.std[c]).toBeCloseTo(1, 4);
    }
    const raw = loadCifar('cifar10', join(dir, 'cifar-10-batches-bin'), { split: 'official', standardize: false });
    expect(raw.train.n).toBe(100);
    // Record 0 of batch 1 stores byte (50c + f mod 13) at file position f = 1024c + q for pixel q of
    // channel c; here it must sit at 3q + c.
    for (const [q, c] of [[5, 2], [700, 0], [1023, 1]] as const) expect(raw.train.x[3 * q + c]).toBe(Math.fround((50 * c + ((1024 * c + q) % 13)) / 255));
  });

  it('reads CIFAR-100 fine or coarse labels', () => {
    const dir = join(root, 'cifar100');
    mkdirSync(dir);
    const records = (n: number) => Uint8Array.from(Array.from({ length: n }, (_, i) => Array.from(encodeCifarRecord('cifar100', { coarse: i % 20, fine: i % 100 }, new Array(3072).fill(i % 256)))).flat());
    writeFileSync(join(dir, 'train.bin'), records(200));
    writeFileSync(join(dir, 'test.bin'), records(100));
    const fine = loadCifar('cifar100', dir, { split: 'official' });
    expect(fine.numClasses).toBe(100);
    expect(Math.max(...fine.train.y)).toBe(99);
    const coarse = loadCifar('cifar100', dir, { labels: 'coarse', trainSize: 100, validationSize: 60 });
    expect(coarse.numClasses).toBe(20);
    expect(coarse.validation!.n).toBe(60);
    expect(Math.max(...coarse.train.y)).toBe(19);
  });

  it('says how to get CIFAR when the directory lacks it', () => {
    expect(() => loadCifar('cifar10', root)).toThrow(/cifar-10-binary\.tar\.gz/);
    expect(() => loadCifar('cifar100', undefined)).toThrow(expect.objectContaining({ code: 'DATA_UNAVAILABLE' }));
  });
});
