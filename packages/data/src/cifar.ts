import { DataCorruptError } from './errors';
import { readBytes } from './node-io';

/**
 * The CIFAR "binary version" batches: fixed-size records, no header. CIFAR-10: one label byte
 * (0–9) then 3,072 pixel bytes; CIFAR-100: a coarse label byte (0–19), a fine label byte (0–99),
 * then the pixels. Pixels are channel-major: 1,024 red (row-major 32×32), 1,024 green, 1,024 blue.
 */
export type CifarVariant = 'cifar10' | 'cifar100';

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;

const LAYOUT: Record<CifarVariant, { labelBytes: number; fineClasses: number; coarseClasses?: number }> = {
  cifar10: { labelBytes: 1, fineClasses: 10 },
  cifar100: { labelBytes: 2, fineClasses: 100, coarseClasses: 20 },
};

export function cifarRecordSize(variant: CifarVariant): number {
  return LAYOUT[variant].labelBytes + CIFAR_PIXELS;
}

export function cifarClasses(variant: CifarVariant, labels: 'fine' | 'coarse' = 'fine'): number {
  const layout = LAYOUT[variant];
  return labels === 'coarse' ? (layout.coarseClasses ?? layout.fineClasses) : layout.fineClasses;
}

export interface CifarBatch {
  readonly variant: CifarVariant;
  readonly file: string;
  readonly n: number;
  /** The label of each record (CIFAR-100: the fine label). */
  readonly fine: Uint8Array;
  /** CIFAR-100 only: the superclass of each record. */
  readonly coarse?: Uint8Array;
  /** The file's bytes; images are read out of them with `copyCifarImage`. */
  readonly bytes: Uint8Array;
}

export function readCifarBatch(file: string, variant: CifarVariant): CifarBatch {
  return parseCifarBatch(readBytes(file), file, variant);
}

/** Validates a batch: whole records only, at least one, every label in range. */
export function parseCifarBatch(bytes: Uint8Array, file: string, variant: CifarVariant): CifarBatch {
  const layout = LAYOUT[variant];
  const size = cifarRecordSize(variant);
  const layoutText = variant === 'cifar10' ? '1 label byte + 3072 pixel bytes' : '1 coarse + 1 fine label byte + 3072 pixel bytes';
  if (bytes.length === 0) throw new DataCorruptError(file, { offset: 0 }, `empty file; expected records of ${size} bytes (${layoutText})`);
  if (bytes.length % size !== 0) {
    const whole = Math.floor(bytes.length / size);
    throw new DataCorruptError(file, { offset: whole * size }, `length ${bytes.length} is not a multiple of the ${variant} record size ${size} (${layoutText}): the last record is cut after ${bytes.length - whole * size} bytes`);
  }
  const n = bytes.length / size;
  const fine = new Uint8Array(n);
  const coarse = layout.coarseClasses === undefined ? undefined : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = i * size;
    if (coarse !== undefined) {
      const c = bytes[at]!;
      if (c >= layout.coarseClasses!) throw new DataCorruptError(file, { offset: at }, `record ${i} has coarse label ${c}; expected 0–${layout.coarseClasses! - 1}`);
      coarse[i] = c;
    }
    const f = bytes[at + layout.labelBytes - 1]!;
    if (f >= layout.fineClasses) {
      throw new DataCorruptError(file, { offset: at + layout.labelBytes - 1 }, `record ${i} has ${coarse ? 'fine ' : ''}label ${f}; expected 0–${layout.fineClasses - 1}`);
    }
    fine[i] = f;
  }
  return { variant, file, n, fine, ...(coarse === undefined ? {} : { coarse }), bytes };
}

/**
 * Writes record `k` of `batch` into `out` at `at` as 32×32×3 (height, width, channel: the layout
 * TensorFlow.js convolutions take) with values in [0, 1].
 */
export function copyCifarImage(batch: CifarBatch, k: number, out: Float32Array, at: number): void {
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  const from = k * cifarRecordSize(batch.variant) + LAYOUT[batch.variant].labelBytes;
  const b = batch.bytes;
  for (let p = 0; p < plane; p++) {
    const o = at + 3 * p;
    out[o] = b[from + p]! / 255;
    out[o + 1] = b[from + plane + p]! / 255;
    out[o + 2] = b[from + 2 * plane + p]! / 255;
  }
}

/** One record's bytes (for tests and fixtures): labels then the channel-major pixels. */
export function encodeCifarRecord(variant: CifarVariant, labels: { fine: number; coarse?: number }, pixels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(cifarRecordSize(variant));
  if (variant === 'cifar100') {
    out[0] = labels.coarse ?? 0;
    out[1] = labels.fine;
  } else out[0] = labels.fine;
  out.set(Array.from(pixels), LAYOUT[variant].labelBytes);
  return out;
}
