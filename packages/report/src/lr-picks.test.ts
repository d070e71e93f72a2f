import { describe, expect, it } from 'vitest';
import { gridPointLabel, pickedRatesText } from './lr-picks';

describe('gridPointLabel', () => {
  it('labels a grid point as the legends label settings', () => {
    expect(gridPointLabel({ 'archOptions.width': 8, activation: 'relu' })).toBe('width=8, activation=relu');
    expect(gridPointLabel({})).toMatch(/every run/);
  });
});

describe('pickedRatesText', () => {
  const pick = (lr: number | null) => ({ point: {}, rule: 'sankararaman-a1' as const, lr, reason: '', onEdge: false, candidates: [] });
  it('names one rate once, and several with how many grid points picked each', () => {
    expect(pickedRatesText([pick(0.01), pick(0.01)])).toBe('0.01 at every grid point');
    expect(pickedRatesText([pick(0.01), pick(0.1), pick(0.01), pick(null)])).toBe('0.01 at 2 grid points, 0.1 at 1 grid point, none eligible at 1 grid point');
  });
});
