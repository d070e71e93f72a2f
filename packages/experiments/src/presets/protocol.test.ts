import { describe, expect, it } from 'vitest';
import { presetProtocol } from './protocol';
import { getPreset } from './registry';

describe('presetProtocol', () => {
  it('reads the paper scale and the scale that ran from the preset’s own sweeps, marking what differs', () => {
    const rows = Object.fromEntries(presetProtocol(getPreset('c13-du-resnet-depth'), 'smoke').rows.map((r) => [r.aspect, r]));
    expect(rows['seeds']).toEqual({ aspect: 'seeds', paper: '8', thisScale: '3', differs: true });
    expect(rows['steps']).toMatchObject({ paper: '0', thisScale: '0', differs: false });
    expect(rows['grid']!.paper).toContain('archOptions.depth ∈ {2, 4, 8, 16, 32}');
    expect(rows['grid']!.thisScale).toContain('archOptions.depth ∈ {2, 4, 8}');
    expect(rows['scaled down']!.thisScale).toBe(getPreset('c13-du-resnet-depth').scales.smoke.scaledDown);
  });

  it('writes options as words, not JSON', () => {
    const rows = Object.fromEntries(presetProtocol(getPreset('c5-bn-skip'), 'laptop').rows.map((r) => [r.aspect, r]));
    expect(rows['data']!.thisScale).toMatch(/^fashion-mnist \(trainSize \d+, validationSize 0, testSize \d+, downscale \d+\)$/);
    expect(rows['model']!.paper).toBe('wrn (dropout 0, depth 16, widthFactor 2)');
    // Empty options say nothing.
    expect(rows['data']!.paper).toBe('depth: cifar10 | depth-cifar100: cifar100');
    for (const row of Object.values(rows)) expect(`${row.paper} ${row.thisScale}`).not.toContain('"');
  });

  it('names the learning-rate rule and its seeds per rate where the paper searches the rate', () => {
    const preset = getPreset('c2-mlp-depth');
    const paper = Object.fromEntries(presetProtocol(preset, 'paper').rows.map((r) => [r.aspect, r]));
    const sweep = Object.values(preset.scales.paper.sweeps)[0]!;
    expect(paper['LR rule']!.paper).toMatch(/^sankararaman-a1 over \{/);
    expect(paper['seeds']!.paper).toMatch(/per rate$/);
    expect(paper['batch']!.paper).toBe(String((sweep.base as { batchSize?: unknown }).batchSize));
    // The paper scale against itself: nothing differs.
    expect(presetProtocol(preset, 'paper').rows.filter((r) => r.differs)).toEqual([]);
  });
});
