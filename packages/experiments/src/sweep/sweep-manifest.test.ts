import { OverparamError } from '@overparam/core';
import { describe, expect, it } from 'vitest';
import { picks } from './lr-picks-fixture';
import { checkLrPicks } from './sweep-manifest';

describe('checkLrPicks', () => {
  it('keeps what the report shows of each pick as experiments wrote it', () => {
    const checked = checkLrPicks(JSON.parse(JSON.stringify(picks)), 'lr-search.json');
    expect(checked).toEqual(picks.map(({ point, rule, lr, reason, onEdge }) => ({ point, rule, lr, reason, onEdge })));
  });

  it.each([
    ['not a list', { picks }, /lr-search\.json is not a list/],
    ['an entry without a point', [{ ...picks[0], point: null }], /entry 0 has no `point`/],
    ['a rate that is not a number', [picks[0], { ...picks[1], lr: '0.1' }], /entry 1 has lr "0\.1"/],
    ['a negative rate', [{ ...picks[0], lr: -1 }], /entry 0 has lr -1/],
    ['no reason', [{ ...picks[0], reason: 3 }], /entry 0 has no `reason`/],
    ['no edge flag', [{ ...picks[0], onEdge: 'no' }], /entry 0 has no boolean `onEdge`/],
    ['no candidates', [{ ...picks[0], candidates: undefined }], /entry 0 has no `candidates`/],
  ])('refuses %s with a typed error naming the file', (_, value, message) => {
    expect(() => checkLrPicks(JSON.parse(JSON.stringify(value)), 'lr-search.json')).toThrow(OverparamError);
    expect(() => checkLrPicks(JSON.parse(JSON.stringify(value)), 'lr-search.json')).toThrow(message);
  });
});

