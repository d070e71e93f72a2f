import { DataCorruptError } from './errors';
import { nodeBuiltins, readBytes } from './node-io';

/**
 * The IDX format of MNIST and its relatives: two zero bytes, a type byte, a dimension count, then
 * one big-endian uint32 per dimension and the values, big-endian, row-major. Files may be gzipped
 * (as distributed and as Debian installs them); gzip is recognised by its own magic bytes.
 */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

export interface IdxArray {
  readonly type: IdxType;
  readonly dims: readonly number[];
  /** The values in row-major order (uint8 data is a view of the file's bytes, not a copy). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export interface IdxExpectation {
  readonly type?: IdxType;
  /** Expected dimensions; `null` accepts any size in that position. */
  readonly dims?: readonly (number | null)[];
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/** Gunzips when the bytes are gzip, else returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  const { zlib } = nodeBuiltins(`decompressing ${file}`);
  try {
    const out = zlib.gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    throw new DataCorruptError(file, { whole: true }, `the gzip stream of ${bytes.length} bytes is truncated or damaged (${(e as Error).message})`, { cause: e });
  }
}

/** Reads and validates an IDX file (raw or gzipped). */
export function readIdxFile(file: string, expect: IdxExpectation = {}): IdxArray {
  return parseIdx(maybeGunzip(readBytes(file), file), file, expect);
}

/** Validates and decodes IDX bytes (already decompressed); `file` names them in errors. */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation = {}): IdxArray {
  if (bytes.length < 4) throw new DataCorruptError(file, { offset: bytes.length }, `expected a 4-byte IDX header, found only ${bytes.length} bytes`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataCorruptError(file, { offset: 0 }, `bad magic number ${hex}: an IDX file starts with two zero bytes`);
  }
  const code = bytes[2]!;
  const kind = TYPES[code];
  if (kind === undefined) throw new DataCorruptError(file, { offset: 2 }, `unknown IDX data type 0x${code.toString(16)}; expected one of 08, 09, 0b, 0c, 0d, 0e`);
  if (expect.type !== undefined && kind.type !== expect.type) {
    throw new DataCorruptError(file, { offset: 2 }, `IDX data type is ${kind.type}, expected ${expect.type}`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0) throw new DataCorruptError(file, { offset: 3 }, 'IDX header declares 0 dimensions; expected at least 1');
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new DataCorruptError(file, { offset: bytes.length }, `truncated header: ${ndims} dimensions need ${header} bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (expect.dims !== undefined) {
    const ok = expect.dims.length === ndims && expect.dims.every((d, i) => d === null || d === dims[i]);
    if (!ok) {
      const wanted = expect.dims.map((d) => (d === null ? 'n' : String(d))).join(' × ');
      throw new DataCorruptError(file, { offset: 3 }, `IDX dimensions are ${dims.join(' × ')}, expected ${wanted}`);
    }
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = header + count * kind.size;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new DataCorruptError(file, { offset: Math.min(bytes.length, expected) }, `${what}: a ${dims.join(' × ')} ${kind.type} array needs ${expected} bytes (header ${header} + data ${count * kind.size}), found ${bytes.length}`);
  }
  return { type: kind.type, dims, data: decode(kind.type, view, header, count) };
}

function decode(type: IdxType, view: DataView, at: number, count: number): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer, view.byteOffset + at, count);
    case 'int8':
      return new Int8Array(view.buffer, view.byteOffset + at, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
      return out;
    }
  }
}

function codeOf(type: IdxType): number {
  return Number(Object.entries(TYPES).find(([, t]) => t.type === type)![0]);
}

/** Encodes an array as IDX bytes (for tests and for writing small fixtures). */
export function encodeIdx(type: IdxType, dims: readonly number[], values: ArrayLike<number>): Uint8Array {
  const code = codeOf(type);
  const size = TYPES[code]!.size;
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * size;
    const v = values[i]!;
    if (type === 'uint8') view.setUint8(at, v);
    else if (type === 'int8') view.setInt8(at, v);
    else if (type === 'int16') view.setInt16(at, v, false);
    else if (type === 'int32') view.setInt32(at, v, false);
    else if (type === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
