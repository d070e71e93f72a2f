import { ConfigError } from '../errors';

/**
 * Learning-rate schedules. `step`: multiply the rate by `factor` at each milestone, counted in
 * steps or epochs (the WRN recipe: ÷10 at epochs 80 and 160 is `{ factor: 0.1, milestones: [80, 160], unit: 'epoch' }`).
 * `exponential`: lr · decayRate^(t / decaySteps), t in steps or epochs, the exponent floored with
 * `staircase` (TensorFlow's tf.train.exponential_decay). The TensorFlow MNIST tutorial Arora et al. (2018)
 * trains its convnet with (appendix C.2) is `{ lr: 0.01, decayRate: 0.95, decaySteps: 1, unit: 'epoch', staircase: true }`.
 */
export type LrSchedule =
  | { readonly kind: 'constant'; readonly lr: number }
  | { readonly kind: 'step'; readonly lr: number; readonly factor: number; readonly milestones: readonly number[]; readonly unit: 'step' | 'epoch' }
  | { readonly kind: 'exponential'; readonly lr: number; readonly decayRate: number; readonly decaySteps: number; readonly unit: 'step' | 'epoch'; readonly staircase: boolean };

export function validateSchedule(schedule: LrSchedule): LrSchedule {
  if (!(schedule.lr > 0) || !Number.isFinite(schedule.lr)) throw new ConfigError('lr', `must be a positive number, got ${schedule.lr}`);
  if (schedule.kind === 'step') {
    if (!(schedule.factor > 0)) throw new ConfigError('schedule.factor', `must be > 0, got ${schedule.factor}`);
    if (schedule.milestones.some((m) => !Number.isInteger(m) || m < 0)) {
      throw new ConfigError('schedule.milestones', `must be non-negative integers, got [${schedule.milestones.join(', ')}]`);
    }
  }
  if (schedule.kind === 'exponential') {
    if (!(schedule.decayRate > 0) || !Number.isFinite(schedule.decayRate)) throw new ConfigError('schedule.decayRate', `must be a positive number, got ${schedule.decayRate}`);
    if (!(schedule.decaySteps > 0) || !Number.isFinite(schedule.decaySteps)) throw new ConfigError('schedule.decaySteps', `must be a positive number, got ${schedule.decaySteps}`);
    // The loop reports whole epochs only, so a smooth decay over epochs cannot be computed.
    if (schedule.unit === 'epoch' && !schedule.staircase) {
      throw new ConfigError('schedule.staircase', "a decay counted in epochs changes at epoch ends only; set staircase: true, or use unit 'step' with decaySteps = steps per epoch for a smooth decay");
    }
  }
  return schedule;
}

/** The rate in force at `step` (0-based count of steps taken) during `epoch` (0-based). */
export function learningRateAt(schedule: LrSchedule, at: { step: number; epoch: number }): number {
  if (schedule.kind === 'constant') return schedule.lr;
  const t = schedule.unit === 'step' ? at.step : at.epoch;
  if (schedule.kind === 'exponential') {
    const exponent = t / schedule.decaySteps;
    return schedule.lr * schedule.decayRate ** (schedule.staircase ? Math.floor(exponent) : exponent);
  }
  const passed = schedule.milestones.filter((m) => t >= m).length;
  return schedule.lr * schedule.factor ** passed;
}
