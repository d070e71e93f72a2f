import { describe, expect, it } from 'vitest';
import { learningRateAt, validateSchedule } from './schedule';

describe('learning-rate schedules', () => {
  it('multiplies by the factor at each milestone, in steps or epochs', () => {
    const wrn = { kind: 'step', lr: 0.1, factor: 0.1, milestones: [80, 160], unit: 'epoch' } as const;
    expect(learningRateAt(wrn, { step: 10_000, epoch: 79 })).toBeCloseTo(0.1, 12);
    expect(learningRateAt(wrn, { step: 0, epoch: 80 })).toBeCloseTo(0.01, 12);
    expect(learningRateAt(wrn, { step: 0, epoch: 199 })).toBeCloseTo(0.001, 12);
    const bySteps = { kind: 'step', lr: 1, factor: 0.5, milestones: [10], unit: 'step' } as const;
    expect(learningRateAt(bySteps, { step: 9, epoch: 5 })).toBe(1);
    expect(learningRateAt(bySteps, { step: 10, epoch: 0 })).toBe(0.5);
    expect(learningRateAt({ kind: 'constant', lr: 0.3 }, { step: 1e6, epoch: 1e3 })).toBe(0.3);
  });

  it('names the field of a bad schedule', () => {
    expect(() => validateSchedule({ kind: 'constant', lr: -1 })).toThrow(expect.objectContaining({ field: 'lr' }));
    expect(() => validateSchedule({ kind: 'step', lr: 1, factor: 0, milestones: [], unit: 'step' })).toThrow(expect.objectContaining({ field: 'schedule.factor' }));
  });
});
