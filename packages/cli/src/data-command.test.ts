import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from './test-cli';

const root = mkdtempSync(join(tmpdir(), 'overparam-data-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));


describe('overparam data list', () => {
  test('names every data set, and why the file-based ones are missing', async () => {
    const { code, stdout } = await cli('data', 'list', '--json');
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { name: string; available: boolean; reason?: string }[];
    expect(rows.map((r) => r.name)).toContain('cifar100');
    expect(rows.find((r) => r.name === 'synthetic-images')!.available).toBe(true);
    const cifar = rows.find((r) => r.name === 'cifar10')!;
    expect(cifar.available).toBe(false);
    expect(cifar.reason).toContain('no --data-dir given');
    const text = await cli('data', 'list', '--data-dir', root);
    expect(text.stdout.split('\n').find((l) => l.startsWith('cifar10 '))).toMatch(/unavailable.*cifar-10-binary\.tar\.gz/);
  });
});

describe('overparam data inspect', () => {
  test('prints one JSON object: examples per split, shape, classes, input statistics', async () => {
    const { code, stdout } = await cli('data', 'inspect', '--data', 'synthetic-images', '--data-option', 'n=30', 'validationN=10', '--data-option', 'testN=20');
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.examples).toEqual({ train: 30, validation: 10, test: 20 });
    expect(info.exampleShape).toEqual([32, 32, 3]);
    expect(info.classes).toBe(10);
    expect(info.classCounts.train).toEqual(new Array(10).fill(3));
    const s = info.inputStatistics.train;
    expect(s.min).toBeLessThan(s.mean);
    expect(s.max).toBeGreaterThan(s.mean);
    expect(s.std).toBeGreaterThan(0);
  });

  test('computes the statistics of a CSV file by hand-checkable numbers', async () => {
    const file = join(root, 't.csv');
    writeFileSync(file, 'a,b,y\n1,2,0\n3,6,1\n');
    const { code, stdout } = await cli('data', 'inspect', '--data', 'csv', '--data-file', file);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info.examples).toEqual({ train: 2, validation: 0, test: 0 });
    expect(info.task).toBe('regression');
    // Inputs 1, 2, 3, 6: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
    expect(info.inputStatistics.train).toEqual({ mean: 3, std: Math.sqrt(3.5), min: 1, max: 6 });
  });

  test('a missing data set is one line saying how to get it, exit 1; bad options are usage errors', async () => {
    const missing = await cli('data', 'inspect', '--data', 'mnist-full', '--data-dir', root);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain("data set 'mnist-full' is not available");
    const bad = await cli('data', 'inspect', '--data', 'sphere', '--data-option', 'teacher=relu');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^overparam: --data-option: teacher: /);
    expect((await cli('data', 'inspect', '--data', 'nope')).code).toBe(2);
  });
});
