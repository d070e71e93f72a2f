import { describe, expect, it } from 'vitest';
import { gridPointLabel } from './lr-picks';

describe('gridPointLabel', () => {
  it('labels a grid point as the legends label settings', () => {
    expect(gridPointLabel({ 'archOptions.width': 8, activation: 'relu' })).toBe('width=8, activation=relu');
    expect(gridPointLabel({})).toMatch(/every run/);
  });
});
