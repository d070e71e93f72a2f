import { describe, expect, it } from 'vitest';
import { sweepCells } from '../sweep/sweep';
import { presetScales } from './preset';
import { getPreset, presetIds, presets, presetSweeps } from './registry';

describe('the preset registry', () => {
  it('has unique ids of the form c<number>-<words>', () => {
    expect(new Set(presetIds).size).toBe(presetIds.length);
    for (const id of presetIds) expect(id).toMatch(/^(c\d+|fig\d+)[a-z0-9-]*$/);
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: every scale holds valid sweeps, and says what it scaled down', (_id, preset) => {
    expect(preset.claim.length).toBeGreaterThan(20);
    // Papers by author–year (docs/papers.md), never a file outside the repository.
    expect(preset.source).toMatch(/et al\. \(\d{4}/);
    expect(preset.source).not.toMatch(/seed 0/i);
    for (const scale of presetScales) {
      const sweeps = presetSweeps(preset, scale);
      expect(sweeps.length).toBeGreaterThan(0);
      for (const { spec } of sweeps) expect(sweepCells(spec).length).toBeGreaterThan(0);
      expect(preset.scales[scale].scaledDown.length).toBeGreaterThan(10);
    }
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: every figure a criterion names is one the preset draws', (_id, preset) => {
    for (const scale of presetScales) {
      const keys = Object.keys(preset.scales[scale].sweeps);
      // A report of several sweeps draws each sweep's figures in its own section, their ids prefixed with the sweep's key.
      const drawn = new Set(keys.length > 1 ? keys.flatMap((key) => preset.figures.map((f) => `${key}-${f}`)) : preset.figures);
      // No results: each criterion still says what it would judge and which figure shows it.
      const empty = Object.fromEntries(keys.map((key) => [key, { key, cells: [] }]));
      for (const c of preset.criteria(empty, scale)) if (c.figure !== undefined) expect([...drawn], `${scale}: '${c.name}'`).toContain(c.figure);
    }
  });

  it('names the presets there are when asked for one that is not', () => {
    expect(() => getPreset('c99-nothing')).toThrow(expect.objectContaining({ code: 'PRESET_UNKNOWN', message: expect.stringContaining(presetIds[0]!) }));
  });
});
