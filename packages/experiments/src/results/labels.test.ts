import { describe, expect, it } from 'vitest';
import { labelRuns, nameSettings, withSettings, type SettingNames } from './labels';
import type { RunView } from './run-view';

const run = (id: string, overrides: Record<string, unknown>): RunView => ({ id, status: 'completed', overrides, seed: 0, config: undefined, summary: undefined, records: [] });

const variants: SettingNames = {
  keys: ['archOptions.batchNorm', 'archOptions.skip'],
  title: 'variant',
  names: [
    { values: [true, false], name: 'BN, no skip' },
    { values: [true, true], name: 'BN + skip' },
  ],
};

describe('named settings', () => {
  it("replace the values they name by the preset's words, in the first key's place, and keep codes no name matches", () => {
    const runs = labelRuns([run('a', { 'archOptions.depth': 10, 'archOptions.batchNorm': true, 'archOptions.skip': false }), run('b', { 'archOptions.batchNorm': false, 'archOptions.skip': false, 'archOptions.depth': 22 })], () => true);
    const [a, b] = nameSettings(runs, [variants]);
    expect(a).toMatchObject({ settings: { 'archOptions.depth': 10, variant: 'BN, no skip' }, setting: 'depth=10, BN, no skip', named: ['variant'] });
    expect(b).toMatchObject({ setting: 'batchNorm=false, skip=false, depth=22' });
    expect(b!.named).toBeUndefined();
    // Dropping a key keeps the names of the rest.
    expect(withSettings(a!, { variant: 'BN, no skip' }).setting).toBe('BN, no skip');
    expect(nameSettings(runs, [])).toEqual(runs);
  });
});
