import { defaultLoss, parseRunConfig } from '@overparam/experiments';
import { describe, expect, it } from 'vitest';
import { comparisons } from './comparisons';
import { architectureFields, initialOptions } from './option-fields';
import { defaultRun, defaultState, stateFromHash, stateToHash, withData } from './playground-state';

const states = [defaultState, ...comparisons.map((c) => c.state)];

describe('playground states', () => {
  it('the default run and every comparison are valid run configs', () => {
    for (const state of states) for (const run of state.runs) expect(() => parseRunConfig(run), JSON.stringify(run)).not.toThrow();
  });

  it('come back from the address unchanged', () => {
    for (const state of states) expect(stateFromHash(stateToHash(state))).toEqual({ state });
  });

  it('fall back to the default run, saying why, when the address holds none or a damaged one', () => {
    expect(stateFromHash('')).toEqual({ state: defaultState });
    expect(stateFromHash('#runs=%5B%7B%22arch').problem).toMatch(/cut short/);
    expect(stateFromHash(`#runs=${encodeURIComponent('{"arch":"mlp"}')}`).problem).toMatch(/no list of run configs/);
    // An unknown architecture threw out of the page's start-up and left Train broken.
    expect(stateFromHash(`#runs=${encodeURIComponent('[{"arch":"nope"}]')}`)).toEqual({ state: defaultState, problem: expect.stringMatching(/^run 1 of the link is not a valid run config \(arch: .*nope.*\); showing the default run$/) });
  });
});

describe('architecture option fields', () => {
  it("offer each architecture's own options, not the sizes the data set fixes, with values its schema accepts", () => {
    expect(architectureFields('mlp').map((f) => f.key)).toEqual(['depth', 'width', 'activation', 'init', 'bias']);
    expect(architectureFields('wrn').map((f) => f.key)).toEqual(expect.arrayContaining(['depth', 'widthFactor', 'batchNorm', 'skip']));
    expect(architectureFields('deep-linear').find((f) => f.key === 'init')).toMatchObject({ kind: 'choice', choices: expect.arrayContaining(['orthogonal', 'near-zero']) });
    for (const [arch, data] of [['mlp', 'mnist'], ['deep-linear', 'gaussian-regression'], ['wrn', 'synthetic-images'], ['cnn', 'synthetic-images']] as const) {
      expect(() => parseRunConfig({ arch, archOptions: initialOptions(arch), data }), arch).not.toThrow();
    }
  });
});

describe('switching the data set', () => {
  it("takes the new set's default loss: a regression set gets the square loss, not the classification set's cross-entropy", () => {
    const classification = parseRunConfig(defaultRun);
    expect(classification.loss).toBe(defaultLoss(classification.data));
    // The loss as the form's select leaves it once touched: named in the config.
    const picked = { ...defaultRun, loss: classification.loss, dataOptions: { n: 100 } };
    const regression = parseRunConfig(withData(picked, 'gaussian-regression'));
    expect(regression.loss).toBe(defaultLoss('gaussian-regression'));
    expect(regression.loss).not.toBe(classification.loss);
    // The old set's options are not carried over to a set that may not have them.
    expect(regression.dataOptions).toEqual(parseRunConfig({ data: 'gaussian-regression' }).dataOptions);
  });

  it('and back again', () => {
    const there = withData(defaultRun, 'gaussian-regression');
    expect(parseRunConfig(withData(there, 'mnist')).loss).toBe(defaultLoss('mnist'));
  });
});
