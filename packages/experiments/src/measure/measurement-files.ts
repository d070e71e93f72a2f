import { OverparamError } from '@overparam/core';
import type { MeasuredExamples } from './measure';

/**
 * The files of a measurement directory, written and read here (nothing else parses them):
 *
 * - `measure.json`: the numbers, the model and where its weights came from; `gramFile` names the
 *   matrix when there is one;
 * - `gram.f64`: the n×n Gram, row-major little-endian float64, when the metric has one;
 * - `examples.json` (+ `inputs.f32` when large): the examples, as indices into the training
 *   split, the inputs as the model received them, and the labels or targets;
 * - `checkpoint/`: the weights measured, in the checkpoint format (weights only).
 */

/** Files a measurement writes; all are removed first, so none of an earlier measurement is left. */
export const MEASUREMENT_FILES = ['measure.json', 'gram.f64', 'examples.json', 'inputs.f32', 'checkpoint'] as const;

export const GRAM_FILE = 'gram.f64';
const GRAM_LAYOUT = 'row-major little-endian float64';

/** Inputs inline in examples.json up to this many values; beyond, a float32 file beside it. */
const INLINE_INPUTS = 2_000_000;

export function littleEndian(values: Float64Array | Float32Array): Uint8Array {
  const width = values instanceof Float64Array ? 8 : 4;
  const view = new DataView(new ArrayBuffer(values.length * width));
  if (width === 8) values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  else values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return new Uint8Array(view.buffer);
}

/** measure.json's entry for the Gram file. */
export function gramFileEntry(size: number): { name: string; size: number; layout: string } {
  return { name: GRAM_FILE, size, layout: GRAM_LAYOUT };
}

/** examples.json, and inputs.f32 when the inputs are too many to write inline. */
export function examplesFiles(data: string, e: MeasuredExamples): Array<[string, Uint8Array | string]> {
  const size = e.inputShape.reduce((a, b) => a * b, 1);
  const inline = e.inputs.length <= INLINE_INPUTS;
  const rows = Array.from({ length: e.indices.length }, (_, i) => Array.from(e.inputs.subarray(i * size, (i + 1) * size)));
  const targetWidth = e.targets.length / Math.max(1, e.indices.length);
  const record = {
    data,
    split: 'train',
    indices: Array.from(e.indices),
    inputShape: e.inputShape,
    ...(inline ? { inputs: rows } : { inputsFile: 'inputs.f32', inputsLayout: `[${e.indices.length}, ${e.inputShape.join(', ')}] row-major little-endian float32` }),
    ...(e.targets instanceof Int32Array ? { labels: Array.from(e.targets) } : { targets: Array.from({ length: e.indices.length }, (_, i) => Array.from(e.targets.subarray(i * targetWidth, (i + 1) * targetWidth))) }),
    ...(e.pairs ? { pairs: e.pairs.map(([a, b]) => [Array.from(a), Array.from(b)]) } : {}),
  };
  const files: Array<[string, Uint8Array | string]> = [['examples.json', `${JSON.stringify(record)}\n`]];
  if (!inline) files.push(['inputs.f32', littleEndian(e.inputs)]);
  return files;
}

/** gram.f64 as rows: n × n float64, row-major, little-endian. */
export function decodeGram(bytes: Uint8Array, size: number, path: string): number[][] {
  if (bytes.byteLength !== size * size * 8) {
    throw new OverparamError('RUN_IO', `${path} holds ${bytes.byteLength} bytes, but a ${size} × ${size} float64 Gram takes ${size * size * 8}; the file is damaged or not this measurement's`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => view.getFloat64((i * size + j) * 8, true)));
}

/** A measurement as read back: measure.json, and its Gram when there is one no larger than asked. */
export interface MeasurementFiles {
  readonly summary: Record<string, unknown>;
  readonly gram: number[][] | null;
}

/**
 * Reads a measurement directory through `read` (a file of the directory by name: node's fs, a
 * fetch in the browser); `where` names the directory in errors. A Gram larger than `maxGramSize`
 * is left unread (null).
 */
export async function readMeasurementFiles(read: (name: string) => Promise<Uint8Array>, where: string, options: { maxGramSize?: number } = {}): Promise<MeasurementFiles> {
  const text = new TextDecoder().decode(await read('measure.json'));
  let summary: Record<string, unknown>;
  try {
    summary = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new OverparamError('RUN_IO', `${where}/measure.json is not valid JSON (${(e as Error).message}); it may have been cut short`, { cause: e });
  }
  const gramFile = summary['gramFile'] as { name?: unknown; size?: unknown } | undefined;
  let gram: number[][] | null = null;
  if (gramFile !== undefined && typeof gramFile.size === 'number' && typeof gramFile.name === 'string' && gramFile.size <= (options.maxGramSize ?? Infinity)) {
    gram = decodeGram(await read(gramFile.name), gramFile.size, `${where}/${gramFile.name}`);
  }
  return { summary, gram };
}
