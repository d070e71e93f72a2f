/**
 * The mnist package's digits packed for the bundle: it stores each pixel as one of a few hundred
 * decimal numbers, so the packed form keeps that table once and one byte per pixel. Unpacking
 * gives back exactly the package's numbers, and so exactly the data set Node loads.
 */
export interface PackedDigits {
  /** The distinct pixel values, ascending; a pixel's byte indexes it. */
  readonly table: readonly number[];
  /** Pixels per digit 0–9. */
  readonly counts: readonly number[];
  /** Every pixel of digits 0–9 in order, one byte each. */
  readonly codes: Uint8Array;
}

export function packDigits(digits: readonly (readonly number[])[]): PackedDigits {
  const distinct = new Set<number>();
  for (const d of digits) for (const v of d) distinct.add(v);
  const table = [...distinct].sort((a, b) => a - b);
  if (table.length > 256) throw new RangeError(`the digits' pixels take ${table.length} distinct values; one byte per pixel holds 256`);
  const code = new Map(table.map((v, i) => [v, i]));
  const codes = new Uint8Array(digits.reduce((n, d) => n + d.length, 0));
  let k = 0;
  for (const d of digits) for (const v of d) codes[k++] = code.get(v)!;
  return { table, counts: digits.map((d) => d.length), codes };
}

export function unpackDigits({ table, counts, codes }: PackedDigits): Float64Array[] {
  const digits: Float64Array[] = [];
  let offset = 0;
  for (const count of counts) {
    digits.push(Float64Array.from(codes.subarray(offset, offset + count), (c) => table[c]!));
    offset += count;
  }
  if (offset !== codes.length) throw new RangeError(`the packed digits hold ${codes.length} pixels, their counts add up to ${offset}`);
  return digits;
}
