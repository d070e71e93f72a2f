import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFields, getAtPath, parseRunConfig, type FieldDescriptor } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { flagForField, toRunConfig, trainFlags } from './train-flags';

const specs = trainFlags();
/** A model.json the config can read and hash (`--model` takes a file that is there; its layers are read only by a run). */
const modelFile = join(mkdtempSync(join(tmpdir(), 'overparam-flags-')), 'model.json');
writeFileSync(modelFile, '{"format":"layers-model","modelTopology":{}}');

/** Values to try for a field, as typed on the command line: its choices, or numbers inside its range. */
function candidates(f: FieldDescriptor): string[] {
  if (f.path === 'model') return [modelFile];
  if (f.kind === 'choice') return [...f.choices!].reverse();
  if (f.kind === 'integer' || f.kind === 'number') {
    const min = f.range?.min ?? 0;
    const base = f.range?.minExclusive === true || min === 0 ? min + (f.range?.max !== undefined && f.range.max <= 1 ? 0.5 : 2) : min + 1;
    // Its default first: a valid value some nets constrain further (a WRN's depth is 6n + 4).
    return [...(typeof f.default === 'number' ? [String(f.default)] : []), String(f.kind === 'integer' ? Math.ceil(base) : base)];
  }
  if (f.kind === 'list') return ['4,4'];
  return ['some-text'];
}

describe('train flags: every run-config field can be set from the command line', () => {
  const fields = configFields().filter((f) => f.fromData !== true);

  it('by its own flag, which puts the value at its path', () => {
    const flagged = fields.filter((f) => f.flag !== undefined && f.kind !== 'record' && f.kind !== 'specs');
    for (const f of flagged) {
      const spec = specs.find((s) => s.flags.split(' ')[0] === f.flag);
      expect(spec, f.path).toBeDefined();
      // The architecture or optimizer that takes it is chosen with it (lp's exponent with lp, κ with the init that reads it).
      const context = { ...(f.archs !== undefined ? { arch: f.archs[0] } : {}), ...(f.optimizers !== undefined ? { optimizer: f.optimizers[0] } : {}), ...(f.path === 'p' ? { loss: 'lp' } : {}), ...(f.path === 'archOptions.kappa' ? { init: 'strategy-4.1' } : {}) };
      const set = f.kind === 'boolean' ? [String(!(f.default ?? false))] : candidates(f);
      const results = set.map((text) => {
        try {
          const value = f.kind === 'boolean' ? text === 'true' : text;
          return { text, config: toRunConfig(specs, { ...context, [spec!.key]: value }).config };
        } catch (e) {
          return { text, error: e as Error };
        }
      });
      const ok = results.find((r) => r.config !== undefined);
      expect(ok, `${f.flag}: ${results.map((r) => r.error?.message).join(' | ')}`).toBeDefined();
      const written = getAtPath(ok!.config, f.path) ?? getAtPath(ok!.config, `${f.path.replace('kappa', 'init')}`);
      expect(written, f.path).toBeDefined();
    }
  });

  it('or by --set: the fields without a flag are a schedule, overparameterize and the model file\'s recorded digest', () => {
    expect(fields.filter((f) => f.flag === undefined).map((f) => f.path.split('.')[0])).toEqual(expect.arrayContaining(['schedule', 'overparameterize']));
    expect(new Set(fields.filter((f) => f.flag === undefined).map((f) => f.path.split('.')[0]))).toEqual(new Set(['schedule', 'overparameterize', 'modelSha256']));
    const step = toRunConfig(specs, {}, undefined, [
      { path: 'schedule.kind', value: 'step' },
      { path: 'schedule.factor', value: 0.1 },
      { path: 'schedule.milestones', value: [10] },
      { path: 'overparameterize.factors', value: 2 },
    ]).config;
    expect(step).toMatchObject({ schedule: { kind: 'step', factor: 0.1, milestones: [10], unit: 'step' }, overparameterize: { factors: 2, factorInit: 'preserve' } });
    const exponential = toRunConfig(specs, {}, undefined, [
      { path: 'schedule', value: { kind: 'exponential', decayRate: 0.9, decaySteps: 5, staircase: true } },
      { path: 'overparameterize', value: { factors: 3, factorInit: 'paper' } },
    ]).config;
    expect(exponential).toMatchObject({ schedule: { kind: 'exponential', decayRate: 0.9, decaySteps: 5, staircase: true }, overparameterize: { factors: 3, factorInit: 'paper' } });
  });
});

describe('train flags: aliases are the config they stand for', () => {
  it('--kappa folds into the init spec of an mlp, as the config file writes it', () => {
    const flags = toRunConfig(specs, { init: 'strategy-4.1', kappa: '4' }).config;
    expect(flags).toEqual(parseRunConfig({ archOptions: { init: { name: 'strategy-4.1', kappa: 4 } } }));
    expect(toRunConfig(specs, {}, undefined, [{ path: 'archOptions.init', value: 'strategy-4.1' }, { path: 'archOptions.kappa', value: 4 }]).config).toEqual(flags);
  });

  it("--kappa is deep-linear's own option there", () => {
    expect(toRunConfig(specs, { arch: 'deep-linear', init: 'strategy-4.1', kappa: '2' }).config).toEqual(parseRunConfig({ arch: 'deep-linear', archOptions: { init: 'strategy-4.1', kappa: 2 } }));
  });

  it("--full-batch is batchSize 'full'", () => {
    const explicit = parseRunConfig({ batchSize: 'full' });
    expect(toRunConfig(specs, { fullBatch: true }).config).toEqual(explicit);
    expect(toRunConfig(specs, { batchSize: 'full' }).config).toEqual(explicit);
    expect(toRunConfig(specs, {}, undefined, [{ path: 'batchSize', value: 'full' }]).config).toEqual(explicit);
  });

  it('an optimizer option alone is an option of the optimizer in force', () => {
    expect(toRunConfig(specs, { momentum: '0.9' }).config.optimizer).toEqual({ name: 'sgd', momentum: 0.9 });
    expect(toRunConfig(specs, {}, undefined, [{ path: 'optimizer.momentum', value: 0.9 }]).config.optimizer).toEqual({ name: 'sgd', momentum: 0.9 });
  });

  it('--data-option takes comma-separated pairs as well as separate ones', () => {
    const comma = toRunConfig(specs, { data: 'sphere', dataOption: ['n=16,d=4', 'testN=2'] }).config;
    expect(comma.dataOptions).toEqual(toRunConfig(specs, { data: 'sphere', dataOption: ['n=16', 'd=4', 'testN=2'] }).config.dataOptions);
    expect(comma.dataOptions).toMatchObject({ n: 16, d: 4, testN: 2 });
  });
});

describe('train flags: a config error names the flag that sets the field', () => {
  it.each([
    ['archOptions.widthFactor', '--width-factor'],
    ['archOptions.depth', '--depth'],
    ['optimizer', '--optimizer'],
    ['optimizer.momentum', '--momentum'],
    ['batchSize', '--batch-size'],
    ['dataOptions.n', '--data-option'],
    ['metrics.0.every', '--metric'],
    ['outDir', '--out'],
  ])('%s → %s', (field, flag) => {
    expect(flagForField(specs)(field)).toBe(flag);
  });
});
