/**
 * Suite `loss-reads`: what reading the minibatch loss back every step costs our `train()` loop.
 * For small MLPs (batch 128, 784 inputs, 10 classes, as in `mlp-train`), steps/s with the loss
 * read every step (`readLossEvery: 1`, the loop before issue 21) and with the loop's default
 * (`DEFAULT_READ_LOSS_EVERY`: read at logging points or every that many steps), and the ratio
 * lazy / every-step. The two variants alternate repetition by repetition on one model, so load
 * from other jobs falls on both alike; compare min and max before trusting a small ratio. Each is
 * also measured in steps per CPU second of this process (user + system, all threads): on a
 * machine shared with other jobs, wall-clock rates mostly measure the others, CPU time much less.
 */
import { DEFAULT_READ_LOSS_EVERY, tf } from '@overparam/core';
import { emitError, emitMeasurement, log } from './emit';
import { calibrateSteps, summarize, timeSeconds, type Summary } from './measure';
import { benchData, benchMlp, mlpParameters, trainSteps } from './mlp-workload';
import type { Suite } from './suite';

const SUITE = 'loss-reads';
const SHAPES = [
  { depth: 3, width: 100 },
  { depth: 10, width: 100 },
] as const;
/** Read windows a repetition spans at least. */
const MIN_WINDOWS = 5;
const CLOCKS = ['steps/s', 'steps/cpu-s'] as const;
type Clock = (typeof CLOCKS)[number];
const VARIANTS = [
  { name: 'read-every-step', readLossEvery: 1 },
  { name: 'read-when-needed', readLossEvery: DEFAULT_READ_LOSS_EVERY },
] as const;

export const lossReadsSuite: Suite = {
  name: SUITE,
  description: 'train() steps/s with the loss read every step against read when needed',
  async run(context) {
    const { settings } = context;
    // Logging at the end only, so the lazy loop reads every DEFAULT_READ_LOSS_EVERY steps and at the end.
    for (const { depth, width } of SHAPES) {
      const parameters = mlpParameters(depth, width);
      const model = benchMlp(depth, width);
      try {
        const data = benchData();
        log(`${SUITE} ${parameters.model} on ${context.backend}`);
        const numTensorsBefore = tf.memory().numTensors;
        // At least a few read windows per repetition, however slow a step is under load: with fewer
        // steps than one window the two variants would read alike.
        const calibrated = await calibrateSteps((k) => trainSteps(model, data, k, 1), settings);
        const steps = Math.max(calibrated.steps, MIN_WINDOWS * DEFAULT_READ_LOSS_EVERY);
        for (const v of VARIANTS) await trainSteps(model, data, steps, v.readLossEvery);
        const rates: Record<Clock, number[][]> = { 'steps/s': VARIANTS.map(() => []), 'steps/cpu-s': VARIANTS.map(() => []) };
        for (let rep = 0; rep < settings.reps; rep++) {
          for (const [i, v] of VARIANTS.entries()) {
            const cpuBefore = process.cpuUsage();
            const seconds = await timeSeconds(() => trainSteps(model, data, steps, v.readLossEvery));
            const cpu = process.cpuUsage(cpuBefore);
            rates['steps/s'][i]!.push(steps / seconds);
            rates['steps/cpu-s'][i]!.push(steps / ((cpu.user + cpu.system) / 1e6));
          }
        }
        const numTensorsAfter = tf.memory().numTensors;
        for (const unit of CLOCKS) {
          const summaries: Summary[] = rates[unit].map(summarize);
          VARIANTS.forEach((v, i) =>
            emitMeasurement({ suite: SUITE, name: v.name, backend: context.backend, unit, ...summaries[i]!, ...parameters, readLossEvery: v.readLossEvery, steps, numTensorsBefore, numTensorsAfter }),
          );
          // Ratio of medians; per-repetition ratios (neighbours in time) give min and max.
          const paired = summarize(rates[unit][1]!.map((lazy, rep) => lazy / rates[unit][0]![rep]!));
          emitMeasurement({
            suite: SUITE,
            name: 'read-when-needed/read-every-step',
            backend: context.backend,
            unit: 'ratio',
            clock: unit,
            median: summaries[1]!.median / summaries[0]!.median,
            min: paired.min,
            max: paired.max,
            reps: settings.reps,
            pairedMedian: paired.median,
            ...parameters,
            steps,
          });
        }
      } catch (e) {
        emitError(SUITE, 'loss-reads', context.backend, e, parameters);
      } finally {
        model.dispose();
      }
    }
  },
};
