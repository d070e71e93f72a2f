import { ConfigError } from '@overparam/core';
import { z } from 'zod';
import { defineMetric, scheduleKeys, scheduleOf } from '../metric-definition';
import { optimalLossHook } from '../optimal-loss';

export const optimalLossMetric = defineMetric({
  name: 'optimal-loss',
  /** Once, at the start: the run's loss is not needed before that, and the optimum does not change. */
  schema: z.strictObject({ name: z.literal('optimal-loss'), ...scheduleKeys, start: z.boolean().default(true), end: z.boolean().default(false) }),
  hook: (spec) => ({ ...optimalLossHook(), schedule: scheduleOf(spec) }),
  requirements: (_spec, data) => {
    if (data.task !== 'regression') throw new ConfigError('name', `the optimal linear loss is defined on a regression task, but '${data.name}' is a classification task`);
  },
  needsLoss: true,
  doc: {
    measures: "Arora et al. (2018) C.1's offset: the least mean `square`/`lp` loss of a linear map on the training split",
    options: '`start` (default **true**), `end` (default false)',
    record: '`optimum`, `method`, `iterations`, `gradientNorm`: the offset the run\'s loss curve is plotted against',
  },
});
