import { z } from 'zod';
import { defineMetric, scheduleKeys } from '../metric-definition';
import { weightMovementHook } from '../weight-movement';

export const weightMovementMetric = defineMetric({
  name: 'weight-movement',
  schema: z.strictObject({ name: z.literal('weight-movement'), ...scheduleKeys }),
  // The hook always runs at the start, where it snapshots W(0); `start` has nothing to add.
  hook: (spec) => weightMovementHook({ schedule: { everySteps: spec.every, everyEpochs: spec.epochs, atEnd: spec.end } }),
  measure: 'compares the weights with those at step 0 of a training run; a one-shot measurement has nothing to compare them with: use it with train --metric',
  needsLoss: false,
  doc: {
    measures: 'how far the weights moved from initialization: ‖W(k) − W(0)‖_F in total and per layer, and its ratio to ‖W(0)‖_F',
    options: '— (W(0) is always snapshotted at the start)',
    record: '`distance`, `ratio`, `initialNorm`, `layers: { <layer path>: { index, distance, ratio, initialNorm } }` (trainable layers only; `index` numbers them W(1)… in forward order)',
  },
});
