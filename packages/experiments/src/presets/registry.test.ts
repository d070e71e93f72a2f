import { describe, expect, it } from 'vitest';
import { sweepCells } from '../sweep/sweep';
import { presetScales } from './preset';
import { getPreset, presetIds, presets, presetSweeps } from './registry';
import { figuresOfSection } from './section-figures';

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
      const drawn = new Set(keys.length > 1 ? keys.flatMap((key) => figuresOfSection(preset.figures, key, keys).map((f) => `${key}-${f}`)) : figuresOfSection(preset.figures, keys[0]!, keys));
      // No results: each criterion still says what it would judge and which figure shows it.
      const empty = Object.fromEntries(keys.map((key) => [key, { key, cells: [] }]));
      for (const c of preset.criteria(empty, scale)) if (c.figure !== undefined) expect([...drawn], `${scale}: '${c.name}'`).toContain(c.figure);
    }
  });

  it('draws a figure named with a sweep key in that sweep’s section only: c12’s training section repeats no initialization figure', () => {
    expect(figuresOfSection(['a', 'init-b', 'training-c', 'cnn-depth-x-d'], 'init', ['init', 'training'])).toEqual(['a', 'b', 'cnn-depth-x-d']);
    expect(figuresOfSection(['a', 'cnn-depth-x-d', 'cnn-e'], 'cnn-depth-x', ['cnn', 'cnn-depth-x'])).toEqual(['a', 'd']);
    const c12 = getPreset('c12-du-global-minima');
    for (const scale of presetScales) {
      const keys = Object.keys(c12.scales[scale].sweeps);
      expect(figuresOfSection(c12.figures, 'init', keys)).toEqual(['population-gram-ratio-vs-width', 'population-gram-distance-vs-width']);
      expect(figuresOfSection(c12.figures, 'training', keys)).toEqual(['full-training-loss', 'population-gram-training', 'weight-movement']);
    }
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: no figure it names for every section starts with one of its sweep keys (it would be read as that section’s)', (_id, preset) => {
    for (const scale of presetScales) {
      const keys = Object.keys(preset.scales[scale].sweeps);
      // A name meant as a section's is one a criterion names that way; any other must not look like one.
      const named = new Set(preset.criteria(Object.fromEntries(keys.map((key) => [key, { key, cells: [] }])), scale).flatMap((c) => c.figure ?? []));
      for (const id of preset.figures) if (keys.length > 1 && keys.some((k) => id.startsWith(`${k}-`))) expect([...named], `${scale}: '${id}'`).toContain(id);
    }
  });

  it('names the presets there are when asked for one that is not', () => {
    expect(() => getPreset('c99-nothing')).toThrow(expect.objectContaining({ code: 'PRESET_UNKNOWN', message: expect.stringContaining(presetIds[0]!) }));
  });
});
