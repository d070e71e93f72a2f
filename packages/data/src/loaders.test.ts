import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { copyCifarImage, encodeCifarRecord, readCifarBatch } from './cifar';
import { readCsvRegression } from './csv';
import { DataCorruptError } from './errors';
import { encodeIdx, readIdxFile } from './idx';

const dir = mkdtempSync(join(tmpdir(), 'overparam-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: Uint8Array | string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Runs `fn`, expects a DataCorruptError, and returns it for closer checks. */
function corrupt(fn: () => unknown): DataCorruptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataCorruptError);
    expect((e as DataCorruptError).code).toBe('DATA_CORRUPT');
    return e as DataCorruptError;
  }
  throw new Error('expected a DataCorruptError, nothing was thrown');
}

describe('IDX', () => {
  const images = Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);

  it('reads raw and gzipped uint8 files to the same values and dimensions', () => {
    const raw = encodeIdx('uint8', [2, 3, 4], images);
    for (const file of [write('a.idx', raw), write('a.idx.gz', gzipSync(raw))]) {
      const a = readIdxFile(file, { type: 'uint8', dims: [null, 3, 4] });
      expect(a.dims).toEqual([2, 3, 4]);
      expect(Array.from(a.data)).toEqual(images);
    }
  });

  it('decodes big-endian multi-byte types', () => {
    const values = [-70000, 1, 123456789];
    expect(Array.from(readIdxFile(write('i.idx', encodeIdx('int32', [3], values))).data)).toEqual(values);
    const f = [0.5, -2.25, 1e10];
    expect(Array.from(readIdxFile(write('f.idx', encodeIdx('float64', [3], f))).data)).toEqual(f);
    // A hand-written header: 0x0B is int16, one dimension of 2, then 0x0102 and 0xFFFE.
    const bytes = Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    expect(Array.from(readIdxFile(write('s.idx', bytes)).data)).toEqual([258, -2]);
  });

  it('rejects a bad magic number at byte 0', () => {
    const bytes = encodeIdx('uint8', [4], [1, 2, 3, 4]);
    bytes[0] = 0x12;
    const e = corrupt(() => readIdxFile(write('magic.idx', bytes)));
    expect(e.location).toEqual({ offset: 0 });
    expect(e.message).toContain('magic.idx');
    expect(e.message).toContain('two zero bytes');
  });

  it('rejects an unknown type byte and an unexpected type', () => {
    const bytes = encodeIdx('uint8', [4], [1, 2, 3, 4]);
    bytes[2] = 0x07;
    expect(corrupt(() => readIdxFile(write('type.idx', bytes))).location).toEqual({ offset: 2 });
    const floats = write('floats.idx', encodeIdx('float32', [1], [1]));
    expect(corrupt(() => readIdxFile(floats, { type: 'uint8' })).message).toContain('expected uint8');
  });

  it('rejects truncated data, naming where it ends and the sizes', () => {
    const bytes = encodeIdx('uint8', [2, 3, 4], images);
    const e = corrupt(() => readIdxFile(write('short.idx', bytes.subarray(0, bytes.length - 5))));
    expect(e.location).toEqual({ offset: bytes.length - 5 });
    expect(e.message).toContain(`needs ${bytes.length} bytes`);
    expect(e.message).toContain(`found ${bytes.length - 5}`);
    corrupt(() => readIdxFile(write('header.idx', bytes.subarray(0, 9))));
    corrupt(() => readIdxFile(write('long.idx', Uint8Array.from([...bytes, 0]))));
  });

  it('rejects unexpected dimensions and a cut gzip stream', () => {
    const file = write('dims.idx', encodeIdx('uint8', [2, 3, 4], images));
    expect(corrupt(() => readIdxFile(file, { dims: [null, 28, 28] })).message).toContain('expected n × 28 × 28');
    const gz = gzipSync(encodeIdx('uint8', [2, 3, 4], images));
    expect(corrupt(() => readIdxFile(write('cut.gz', gz.subarray(0, gz.length - 8)))).message).toContain('gzip');
  });
});

describe('CIFAR binary batches', () => {
  const pixels = (seed: number) => Array.from({ length: 3072 }, (_, i) => (i * 7 + seed) % 256);

  it('reads CIFAR-10 records: labels, and images as 32×32×3 in [0, 1]', () => {
    const bytes = Uint8Array.from([...encodeCifarRecord('cifar10', { fine: 3 }, pixels(0)), ...encodeCifarRecord('cifar10', { fine: 9 }, pixels(1))]);
    const batch = readCifarBatch(write('c10.bin', bytes), 'cifar10');
    expect(batch.n).toBe(2);
    expect(Array.from(batch.fine)).toEqual([3, 9]);
    const out = new Float32Array(3072);
    copyCifarImage(batch, 1, out, 0);
    // Pixel (row 2, column 5) of channel c sits at c·1024 + 2·32 + 5 in the file, at (2·32 + 5)·3 + c here.
    const p = 2 * 32 + 5;
    for (let c = 0; c < 3; c++) expect(out[p * 3 + c]).toBe(Math.fround(pixels(1)[c * 1024 + p]! / 255));
  });

  it('reads CIFAR-100 coarse and fine labels', () => {
    const bytes = Uint8Array.from([...encodeCifarRecord('cifar100', { coarse: 19, fine: 99 }, pixels(0)), ...encodeCifarRecord('cifar100', { coarse: 4, fine: 30 }, pixels(2))]);
    const batch = readCifarBatch(write('c100.bin', bytes), 'cifar100');
    expect(Array.from(batch.fine)).toEqual([99, 30]);
    expect(Array.from(batch.coarse!)).toEqual([19, 4]);
  });

  it('rejects a length that is not a whole number of records, naming the cut', () => {
    const bytes = Uint8Array.from([...encodeCifarRecord('cifar10', { fine: 1 }, pixels(0)), 1, 2, 3]);
    const e = corrupt(() => readCifarBatch(write('cut.bin', bytes), 'cifar10'));
    expect(e.location).toEqual({ offset: 3073 });
    expect(e.message).toContain('record size 3073');
    // A CIFAR-10 file read as CIFAR-100 does not divide into 3,074-byte records either.
    corrupt(() => readCifarBatch(write('c10-as-100.bin', encodeCifarRecord('cifar10', { fine: 1 }, pixels(0))), 'cifar100'));
    corrupt(() => readCifarBatch(write('empty.bin', new Uint8Array(0)), 'cifar10'));
  });

  it('rejects labels out of range at their byte', () => {
    const ok = encodeCifarRecord('cifar10', { fine: 1 }, pixels(0));
    const bad = encodeCifarRecord('cifar10', { fine: 10 }, pixels(0));
    const e = corrupt(() => readCifarBatch(write('label.bin', Uint8Array.from([...ok, ...bad])), 'cifar10'));
    expect(e.location).toEqual({ offset: 3073 });
    expect(e.message).toContain('label 10; expected 0–9');
    const fine = encodeCifarRecord('cifar100', { coarse: 2, fine: 100 }, pixels(0));
    expect(corrupt(() => readCifarBatch(write('fine.bin', fine), 'cifar100')).location).toEqual({ offset: 1 });
    const coarse = encodeCifarRecord('cifar100', { coarse: 20, fine: 5 }, pixels(0));
    expect(corrupt(() => readCifarBatch(write('coarse.bin', coarse), 'cifar100')).message).toContain('coarse label 20; expected 0–19');
  });
});

describe('CSV regression tables', () => {
  it('reads features and the last column as target, with or without a header', () => {
    const withHeader = readCsvRegression(write('h.csv', 'a,b,target\n1,2,3\n4.5,-6e-1,7\n'));
    expect(withHeader.n).toBe(2);
    expect(withHeader.d).toBe(2);
    expect(Array.from(withHeader.x)).toEqual([1, 2, 4.5, Math.fround(-0.6)]);
    expect(Array.from(withHeader.y)).toEqual([3, 7]);
    expect(withHeader.columns).toEqual(['a', 'b', 'target']);
    const plain = readCsvRegression(write('p.csv', '\uFEFF1,2,3\r\n4,5,6\r\n\r\n'), { targetColumn: 0 });
    expect(Array.from(plain.y)).toEqual([1, 4]);
    expect(Array.from(plain.x)).toEqual([2, 3, 5, 6]);
  });

  it('names the line and column of a non-numeric cell', () => {
    const e = corrupt(() => readCsvRegression(write('nan.csv', 'a,b,y\n1,2,3\n4,five,6\n')));
    expect(e.location).toEqual({ line: 3, column: 2 });
    expect(e.message).toContain("'five' is not a finite number");
    expect(corrupt(() => readCsvRegression(write('empty-cell.csv', '1,2,3\n4,,6\n'))).location).toEqual({ line: 2, column: 2 });
  });

  it('rejects ragged rows with their line, and a file with no data', () => {
    const e = corrupt(() => readCsvRegression(write('ragged.csv', '1,2,3\n4,5,6\n7,8\n')));
    expect(e.location).toEqual({ line: 3 });
    corrupt(() => readCsvRegression(write('header-only.csv', 'a,b,y\n')));
    corrupt(() => readCsvRegression(write('one-col.csv', '1\n2\n')));
  });
});
