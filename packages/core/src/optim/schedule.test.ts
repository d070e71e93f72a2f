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

  it('decays exponentially, smoothly or in stairs, as tf.train.exponential_decay', () => {
    const tutorial = { kind: 'exponential', lr: 0.01, decayRate: 0.95, decaySteps: 1, unit: 'epoch', staircase: true } as const;
    expect(validateSchedule(tutorial)).toBe(tutorial);
    expect(learningRateAt(tutorial, { step: 900, epoch: 0 })).toBe(0.01);
    expect(learningRateAt(tutorial, { step: 0, epoch: 1 })).toBeCloseTo(0.0095, 15);
    expect(learningRateAt(tutorial, { step: 0, epoch: 10 })).toBeCloseTo(0.01 * 0.95 ** 10, 15);
    const smooth = { kind: 'exponential', lr: 1, decayRate: 0.5, decaySteps: 100, unit: 'step', staircase: false } as const;
    expect(learningRateAt(smooth, { step: 50, epoch: 0 })).toBeCloseTo(Math.SQRT1_2, 15);
    expect(learningRateAt(smooth, { step: 200, epoch: 0 })).toBeCloseTo(0.25, 15);
    expect(learningRateAt({ ...smooth, staircase: true }, { step: 199, epoch: 0 })).toBe(0.5);
  });

  it('names the field of a bad schedule', () => {
    const exp = { kind: 'exponential', lr: 1, decayRate: 0.9, decaySteps: 10, unit: 'step', staircase: false } as const;
    expect(() => validateSchedule({ ...exp, decayRate: 0 })).toThrow(expect.objectContaining({ field: 'schedule.decayRate' }));
    expect(() => validateSchedule({ ...exp, decaySteps: -1 })).toThrow(expect.objectContaining({ field: 'schedule.decaySteps' }));
    expect(() => validateSchedule({ ...exp, unit: 'epoch' })).toThrow(expect.objectContaining({ field: 'schedule.staircase' }));
    expect(() => validateSchedule({ kind: 'constant', lr: -1 })).toThrow(expect.objectContaining({ field: 'lr' }));
    expect(() => validateSchedule({ kind: 'step', lr: 1, factor: 0, milestones: [], unit: 'step' })).toThrow(expect.objectContaining({ field: 'schedule.factor' }));
  });
});
