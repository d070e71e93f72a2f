import { DEFAULT_REPLICAS, presets } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { parseReplicasFlag, presetReplicasHelp } from './replicas-option';

describe('--replicas', () => {
  it('is undefined when not given, so that a preset’s own choice applies', () => {
    expect(parseReplicasFlag(undefined)).toBeUndefined();
    expect(parseReplicasFlag('auto')).toBe('auto');
    expect(parseReplicasFlag('3')).toBe(3);
  });

  it('reproduce’s help names each preset that chooses its own grouping, and the default of the others', () => {
    const help = presetReplicasHelp();
    const choosing = presets.filter((p) => p.replicas !== undefined);
    expect(choosing.length).toBeGreaterThan(0);
    for (const p of choosing) expect(help).toContain(`${String(p.replicas)} for ${p.id}`);
    expect(help).toContain(`${String(DEFAULT_REPLICAS)} for the others`);
  });
});
