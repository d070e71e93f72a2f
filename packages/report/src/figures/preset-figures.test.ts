import { presets, presetScales, presetSweeps, shortKey, sweepCells, type Preset } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { figureCatalogue, figureDefinitionOf } from '.';

/** What a preset's runs can show, from its sweeps at every scale: the record kinds its runs write, and its numeric swept keys. */
function recordedBy(preset: Preset): { kinds: Set<string>; sweptKeys: Set<string> } {
  const kinds = new Set<string>();
  const sweptKeys = new Set<string>();
  for (const scale of presetScales) {
    for (const { spec } of presetSweeps(preset, scale)) {
      for (const [key, values] of Object.entries(spec.grid)) if (values.length >= 2 && values.every((v) => typeof v === 'number')) sweptKeys.add(shortKey(key));
      for (const cell of sweepCells(spec)) {
        // The loop logs `train` records whenever a run takes steps; each metric writes records of its own name.
        if (cell.config.steps > 0) kinds.add('train');
        for (const metric of cell.config.metrics) kinds.add(metric.name);
      }
    }
  }
  return { kinds, sweptKeys };
}

describe('the figures presets name', () => {
  it('has one definition per id', () => {
    const ids = figureCatalogue.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(presets.map((p) => [p.id, p] as const))('%s: each named figure exists and is drawn from what its sweeps record', (_id, preset) => {
    const { kinds, sweptKeys } = recordedBy(preset);
    for (const id of preset.figures) {
      const from = figureDefinitionOf(id)?.drawnFrom(id);
      expect(from, `${preset.id} names '${id}', which no figure draws`).toBeDefined();
      if (from!.records.length > 0) expect(from!.records.some((k) => kinds.has(k)), `'${id}' reads ${from!.records.join(' or ')}; ${preset.id} records ${[...kinds].join(', ')}`).toBe(true);
      if (from!.sweptKey !== undefined) expect([...sweptKeys], `'${id}' needs the swept key ${from!.sweptKey}`).toContain(from!.sweptKey);
    }
  });

  it('refuses a figure no definition draws, and one whose records a preset does not write', () => {
    expect(figureDefinitionOf('no-such-figure')).toBeUndefined();
    expect(figureDefinitionOf('min-cosine-vs-depth')?.drawnFrom('min-cosine-vs-depth')).toEqual({ records: ['confusion'], sweptKey: 'depth' });
    const c13 = presets.find((p) => p.id === 'c13-du-resnet-depth')!;
    expect(recordedBy(c13).kinds.has('confusion')).toBe(false);
  });
});
