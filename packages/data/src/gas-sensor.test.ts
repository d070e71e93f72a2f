import { createRng } from '@overparam/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataCorruptError, DataUnavailableError } from './errors';
import { GAS_SENSOR_FEATURES, loadGasSensor, parseGasSensorBatch } from './gas-sensor';
import { dataSetAvailability, loadDataSet } from './registry';

const root = mkdtempSync(join(tmpdir(), 'overparam-gas-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Recording {
  readonly gas: number;
  readonly concentration: number;
  readonly features: number[];
}

/** A line as the UCI files write it: `class;concentration 1:v 2:v … 128:v`. */
const line = (r: Recording): string => `${r.gas};${r.concentration.toFixed(6)} ${r.features.map((v, i) => `${i + 1}:${v.toFixed(6)}`).join(' ')}`;

/** Ten batch files of random recordings (classes 1–6), in `dir` (or `dir/Dataset`). */
function writeBatches(dir: string, perBatch: number, seed: string): Recording[][] {
  const rng = createRng(seed);
  mkdirSync(dir, { recursive: true });
  const all: Recording[][] = [];
  for (let b = 1; b <= 10; b++) {
    const records = Array.from({ length: perBatch }, (_, i) => ({
      gas: 1 + ((i + b) % 6),
      concentration: Math.round(rng.uniform() * 1000 * 1e6) / 1e6,
      // Features on very different scales, as the sensor channels are (resistances ~1e4, slopes ~1).
      features: Array.from({ length: GAS_SENSOR_FEATURES }, (_, j) => Math.round((j % 2 === 0 ? 1e4 : 1) * (rng.normal() + j / 10) * 1e6) / 1e6),
    }));
    writeFileSync(join(dir, `batch${b}.dat`), records.map(line).join('\n') + '\n');
    all.push(records);
  }
  return all;
}

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

describe('UCI gas-sensor loader', () => {
  it('keeps the ethanol recordings in file order, concentration as target, features standardized', () => {
    const dir = join(root, 'plain');
    const batches = writeBatches(dir, 9, 'gas-a');
    const ethanol = batches.flat().filter((r) => r.gas === 1);
    const data = loadDataSet('gas-sensor', { dataDir: dir });
    expect(data.task).toBe('regression');
    expect(data.inputShape).toEqual([128]);
    expect(data.train.n).toBe(ethanol.length);
    // Concentrations were written with 6 decimals below 1000: float32 keeps ~7 significant digits.
    Array.from(data.train.y).forEach((v, i) => expect(Math.abs(v - ethanol[i]!.concentration)).toBeLessThan(1e-4 * Math.max(1, ethanol[i]!.concentration)));
    // Standardization against a float64 recomputation from the written values.
    for (const j of [0, 1, 77, 127]) {
      const col = ethanol.map((r) => r.features[j]!);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const std = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
      ethanol.forEach((r, i) => expect(Math.abs(data.train.x[i * 128 + j]! - (r.features[j]! - mean) / std)).toBeLessThan(1e-5));
    }
    // Another gas, some batches, raw features.
    const raw = loadDataSet('gas-sensor', { dataDir: dir, options: { gas: 'toluene', batches: [2, 3], standardize: false } });
    const toluene = [...batches[1]!, ...batches[2]!].filter((r) => r.gas === 6);
    expect(raw.train.n).toBe(toluene.length);
    expect(Math.abs(raw.train.x[5]! - toluene[0]!.features[5]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(toluene[0]!.features[5]!)));
  });

  it('finds the files in the archive folder Dataset/, and says how to get them when absent', () => {
    writeBatches(join(root, 'archive', 'Dataset'), 6, 'gas-b');
    expect(loadGasSensor(join(root, 'archive')).train.n).toBe(10);
    expect(dataSetAvailability('gas-sensor', { dataDir: join(root, 'nowhere') }).available).toBe(false);
    expect(() => loadGasSensor(join(root, 'nowhere'))).toThrow(DataUnavailableError);
    expect(() => loadGasSensor(undefined)).toThrow(/UCI/);
    expect(() => loadDataSet('gas-sensor', { dataDir: root, options: { gas: 'helium' } })).toThrow(/dataOptions.gas|gas/);
  });

  it('refuses corrupt lines with the file and line', () => {
    const good = line({ gas: 1, concentration: 50, features: Array.from({ length: 128 }, (_, i) => i) });
    const cases: Array<[string, RegExp, number]> = [
      [good.replace('1;50.000000', '1 50.000000'), /class;concentration/, 2],
      [good.replace('1;50', '7;50'), /class '7'/, 2],
      [good.replace('1;50.000000', '1;abc'), /concentration 'abc'/, 2],
      [good.replace('1;50.000000', '1;-5'), /concentration '-5'/, 2],
      [good.replace(' 17:16.000000', ''), /feature 17 is missing/, 2],
      [good.replace(' 17:16.000000', ' 16:1.0'), /feature 16 appears twice/, 2],
      [good.replace('17:16.000000', '17:x'), /feature 17 has value 'x'/, 2],
      [good.replace('17:16.000000', '129:16'), /index in 1 … 128/, 2],
      [good.replace('17:16.000000', '17=16'), /index:value/, 2],
    ];
    for (const [bad, message, lineNo] of cases) {
      const e = corrupt(() => parseGasSensorBatch(`${good}\n${bad}\n`, 'batch4.dat'));
      expect(e.message).toMatch(message);
      expect(e.message).toContain('batch4.dat');
      expect(e.location).toMatchObject({ line: lineNo });
    }
    expect(corrupt(() => parseGasSensorBatch('\n\n', 'batch1.dat')).message).toMatch(/no records/);
    // The same through the registry, from a file on disk.
    const dir = join(root, 'broken');
    writeBatches(dir, 3, 'gas-c');
    writeFileSync(join(dir, 'batch7.dat'), `${good}\n${good}\n${good.slice(0, 200)}\n`);
    const e = corrupt(() => loadDataSet('gas-sensor', { dataDir: dir }));
    expect(e.file).toBe(join(dir, 'batch7.dat'));
    expect(e.location).toMatchObject({ line: 3 });
  });
});
