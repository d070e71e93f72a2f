import { kebab } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { archOptionsFromFlags, architectureFlags } from './arch-flags';
import { toRunConfig, trainFlags } from './train-flags';

describe('architecture flags', () => {
  const flags = architectureFlags();

  it('turn schema fields into --kebab-case flags, booleans included', () => {
    expect(kebab('widthFactor')).toBe('--width-factor');
    const byFlag = new Map(flags.map((f) => [f.flags.split(' ')[0], f]));
    expect(byFlag.get('--bias')?.negatable).toBe(true);
    expect(byFlag.get('--c-res')!.fields.flatMap((f) => f.archs)).toEqual(['du-resnet']);
    expect(byFlag.has('--hidden-widths')).toBe(true);
  });

  it('type values per the chosen architecture: lists, numbers, and number-or-name unions', () => {
    expect(archOptionsFromFlags('deep-linear', flags, { hiddenWidths: '4, 3', scale: 'theorem-6.1', initStd: '0.5' })).toEqual({ hiddenWidths: [4, 3], scale: 'theorem-6.1', initStd: 0.5 });
    expect(archOptionsFromFlags('deep-linear', flags, { scale: '0.25' })).toEqual({ scale: 0.25 });
    expect(() => archOptionsFromFlags('mlp', flags, { cRes: '1' })).toThrow(/--c-res: does not apply to --arch mlp, which takes: --depth/);
    // The range is the schema's (c_res > 0), said as train says every number flag's.
    expect(() => archOptionsFromFlags('du-resnet', flags, { cRes: 'big' })).toThrow(/--c-res: expected a number > 0, got 'big'/);
  });

  it('let train configure any architecture, without the MLP defaults leaking into it', () => {
    const specs = trainFlags();
    const dln = toRunConfig(specs, { arch: 'deep-linear', depth: '3', init: 'balanced', kappa: undefined, hiddenWidths: '4,3' }).config;
    expect(dln.archOptions).toMatchObject({ depth: 3, init: 'balanced', hiddenWidths: [4, 3] });
    expect(dln.archOptions).not.toHaveProperty('bias');
    expect(dln.archOptions).not.toHaveProperty('width');
    const mlp = toRunConfig(specs, { bias: true }).config;
    expect(mlp.archOptions).toMatchObject({ depth: 3, width: 100, bias: true });
  });
});
