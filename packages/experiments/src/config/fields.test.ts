import { architectureNames } from '@overparam/architectures';
import { ConfigError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { parseRunConfig, runConfigInputSchema } from './config';
import { getAtPath, setAtPath } from './dotted-path';
import { archFields, configFields, flagOfPath } from './fields';

/** The field a config's ConfigError names, or undefined when it parses. */
function failingField(config: Record<string, unknown>): string | undefined {
  try {
    parseRunConfig(config);
    return undefined;
  } catch (e) {
    if (e instanceof ConfigError) return e.field;
    throw e;
  }
}

describe('config field descriptors', () => {
  const fields = configFields();

  it("state the defaults a config that leaves the field out gets (parsed through the schema, not retyped)", () => {
    const empty = parseRunConfig({});
    // A default inside an optional object (overparameterize.factorInit) applies once the object is given.
    const present = (path: string) => !path.includes('.') || getAtPath(empty, path.split('.').slice(0, -1).join('.')) !== undefined;
    const own = fields.filter((f) => f.archs === undefined && f.default !== undefined && present(f.path));
    expect(own.length).toBeGreaterThan(10);
    for (const f of own) expect(getAtPath(empty, f.path), f.path).toEqual(f.default);
    // A field without a default stays out of the parsed config (loss: the data set's, resolved later, aside).
    for (const f of fields.filter((d) => d.archs === undefined && d.default === undefined && !d.path.includes('.') && d.path !== 'loss')) {
      expect(getAtPath(empty, f.path), f.path).toBeUndefined();
    }
  });

  it("state each architecture's defaults as a config naming only the architecture gets them", () => {
    for (const arch of architectureNames()) {
      const parsed = parseRunConfig({ arch }).archOptions as Record<string, unknown>;
      for (const f of archFields(arch).filter((d) => d.fromData !== true)) {
        expect(parsed[f.path.slice('archOptions.'.length)], `${arch} ${f.path}`).toEqual(f.default);
      }
    }
  });

  it('offer exactly the choices the schema accepts', () => {
    for (const f of fields.filter((d) => d.kind === 'choice' && d.archs === undefined && d.path !== 'backend')) {
      const withValue = (v: string) => setAtPath({}, f.path, v);
      expect(failingField(withValue('no-such-choice')), f.path).toMatch(new RegExp(`^${f.path.split('.')[0]}`));
      for (const choice of f.choices!) expect(failingField(withValue(choice)) ?? '', `${f.path}=${choice}`).not.toBe(f.path);
    }
    for (const arch of architectureNames()) {
      for (const f of archFields(arch).filter((d) => d.kind === 'choice')) {
        expect(failingField({ arch, archOptions: { [f.path.split('.')[1]!]: 'no-such-choice' } }), `${arch} ${f.path}`).toBe(f.path);
        for (const choice of f.choices!) expect(failingField({ arch, archOptions: { [f.path.split('.')[1]!]: choice } }) ?? '', `${arch} ${f.path}=${choice}`).not.toBe(f.path);
      }
    }
  });

  it("bound numbers where the schema does: the bound itself is allowed unless exclusive, a step past it is not", () => {
    for (const f of fields.filter((d) => d.range?.min !== undefined && d.archs === undefined && !d.path.startsWith('optimizer.') && !d.path.includes('.'))) {
      const { min, minExclusive } = f.range!;
      const step = f.kind === 'integer' ? 1 : 1e-9;
      expect(failingField({ [f.path]: min! - step }), `${f.path} below its minimum`).toBe(f.path);
      expect(failingField({ [f.path]: min! + (minExclusive ? step : 0) }), `${f.path} at its minimum`).not.toBe(f.path);
    }
  });

  it('cover every key of the run config', () => {
    for (const key of Object.keys(runConfigInputSchema.shape)) {
      expect(fields.some((f) => f.path === key || f.path.startsWith(`${key}.`)), key).toBe(true);
    }
  });

  it('name the flag of a field, or of the field that holds it', () => {
    expect(flagOfPath(fields, 'archOptions.widthFactor')).toBe('--width-factor');
    expect(flagOfPath(fields, 'optimizer')).toBe('--optimizer');
    expect(flagOfPath(fields, 'dataOptions.n')).toBe('--data-option');
    expect(flagOfPath(fields, 'metrics.0.every')).toBe('--metric');
    expect(flagOfPath(fields, 'schedule.factor')).toBeUndefined();
  });

  it('say which optimizers take an option, from the union', () => {
    expect(fields.find((f) => f.path === 'optimizer.weightDecay')?.optimizers).toEqual(['sgd', 'end-to-end']);
    expect(fields.find((f) => f.path === 'optimizer.momentum')?.optimizers).toEqual(['sgd']);
  });
});

describe('κ in the run config', () => {
  it("is folded into the init spec of a net whose init takes options (mlp), and checked against the init", () => {
    expect(parseRunConfig({ archOptions: { init: 'strategy-4.1', kappa: 4 } })).toEqual(parseRunConfig({ archOptions: { init: { name: 'strategy-4.1', kappa: 4 } } }));
    expect(() => parseRunConfig({ archOptions: { kappa: 4 } })).toThrow("archOptions.kappa: only applies to init 'strategy-4.1', not 'glorot-normal'");
  });

  it("is deep-linear's own option, checked against deep-linear's init (whose default is near-zero)", () => {
    expect(parseRunConfig({ arch: 'deep-linear', archOptions: { init: 'strategy-4.1', kappa: 2 } }).archOptions).toMatchObject({ init: 'strategy-4.1', kappa: 2 });
    expect(() => parseRunConfig({ arch: 'deep-linear', archOptions: { kappa: 2 } })).toThrow("archOptions.kappa: only applies to init 'strategy-4.1', not 'near-zero'");
  });
});

describe('parseRunConfig', () => {
  it('checks a config once: a validated config comes back as it is, a changed copy is checked again', () => {
    const config = parseRunConfig({ steps: 5 });
    expect(parseRunConfig(config)).toBe(config);
    expect(() => parseRunConfig({ ...config, steps: -1 })).toThrow(/^steps: /);
  });
});
