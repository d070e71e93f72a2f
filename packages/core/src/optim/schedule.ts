import { ConfigError } from '../errors';

/**
 * Learning-rate schedules. `step`: multiply the rate by `factor` at each milestone, counted in
 * steps or epochs (the WRN recipe: ÷10 at epochs 80 and 160 is `{ factor: 0.1, milestones: [80, 160], unit: 'epoch' }`).
 */
export type LrSchedule =
  | { readonly kind: 'constant'; readonly lr: number }
  | { readonly kind: 'step'; readonly lr: number; readonly factor: number; readonly milestones: readonly number[]; readonly unit: 'step' | 'epoch' };

export function validateSchedule(schedule: LrSchedule): LrSchedule {
  if (!(schedule.lr > 0) || !Number.isFinite(schedule.lr)) throw new ConfigError('lr', `must be a positive number, got ${schedule.lr}`);
  if (schedule.kind === 'step') {
    if (!(schedule.factor > 0)) throw new ConfigError('schedule.factor', `must be > 0, got ${schedule.factor}`);
    if (schedule.milestones.some((m) => !Number.isInteger(m) || m < 0)) {
      throw new ConfigError('schedule.milestones', `must be non-negative integers, got [${schedule.milestones.join(', ')}]`);
    }
  }
  return schedule;
}

/** The rate in force at `step` (0-based count of steps taken) during `epoch` (0-based). */
export function learningRateAt(schedule: LrSchedule, at: { step: number; epoch: number }): number {
  if (schedule.kind === 'constant') return schedule.lr;
  const t = schedule.unit === 'step' ? at.step : at.epoch;
  const passed = schedule.milestones.filter((m) => t >= m).length;
  return schedule.lr * schedule.factor ** passed;
}
