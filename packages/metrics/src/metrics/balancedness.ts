import { z } from 'zod';
import { balancednessHook } from '../balancedness';
import { defineMetric, scheduleKeys, scheduleOf } from '../metric-definition';

export const balancednessMetric = defineMetric({
  name: 'balancedness',
  schema: z.strictObject({
    name: z.literal('balancedness'),
    ...scheduleKeys,
    /** At initialization too, by default: the start is where eq. 7 is imposed, and a model that is not a linear chain fails before training. */
    start: z.boolean().default(true),
    /** Write W_e's entries as well as its singular values. */
    matrix: z.boolean().default(true),
  }),
  hook: (spec) => balancednessHook({ schedule: scheduleOf(spec), matrix: spec.matrix }),
  needsLoss: false,
  doc: {
    measures: "Arora et al. (2018), eq. 7's balancedness of a deep linear net, ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F per pair, and the end-to-end matrix W_e",
    options: '`start` (default **true**: a model that is not a linear chain fails before training), `matrix` (true: also write W_e)',
    record: '`maxDistance`, `maxRelative`, `pairs`, `singularValues`, `endToEnd` (W_e as k rows of d)',
  },
});
