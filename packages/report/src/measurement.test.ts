import { decodeGram, measureRun } from '@overparam/experiments';
import { directoryStore } from '@overparam/experiments/node';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GramCell } from './charts/gram-heatmap';
import { writeReport } from './write-report';

describe('a measurement directory', () => {
  it('is reported with its measure.json numbers and a heatmap of exactly the Gram in gram.f64', async () => {
    const root = await mkdtemp(join(tmpdir(), 'overparam-report-measure-'));
    const n = 6;
    await measureRun({ arch: 'mlp', archOptions: { depth: 1, width: 4 }, data: 'synthetic', backend: 'cpu' }, { name: 'gram', of: 'loss', n }, { store: directoryStore(root), id: 'm' });
    const written = await writeReport([join(root, 'm')], { out: join(root, 'out'), png: false });
    const json = JSON.parse(await readFile(written.json, 'utf8')) as { figures: Array<{ id: string; data: { cells: GramCell[] } }>; measurements: Array<{ rows: Array<[string, unknown]> }> };

    // The reference: gram.f64 read with a typed array (this machine is little-endian, as the file is).
    const bytes = await readFile(join(root, 'm', 'gram.f64'));
    const reference = new Float64Array(bytes.buffer, bytes.byteOffset, n * n);
    const cells = json.figures.find((f) => f.id === 'gram-m')!.data.cells;
    expect(cells).toHaveLength(n * n);
    for (const c of cells) expect(c.value).toBe(reference[c.i * n + c.j]);

    const measured = JSON.parse(await readFile(join(root, 'm', 'measure.json'), 'utf8')) as { trace: number };
    // measure.json's trace was computed by experiments from the same matrix: float64 sums of 6 terms agree to ~1e-15 relative.
    const trace = cells.filter((c) => c.i === c.j).reduce((s, c) => s + c.value, 0);
    expect(trace / measured.trace).toBeCloseTo(1, 12);
    expect(json.measurements[0]!.rows).toContainEqual(['metric', 'gram']);
    expect(await readFile(written.html, 'utf8')).toContain('<h2>Measurement m</h2>');
  });

  it('refuses a gram.f64 of the wrong size, naming the file', () => {
    expect(() => decodeGram(new Uint8Array(8 * 5), 2, 'x/gram.f64')).toThrow(/x\/gram\.f64 holds 40 bytes, but a 2 × 2 float64 Gram takes 32/);
  });
});
