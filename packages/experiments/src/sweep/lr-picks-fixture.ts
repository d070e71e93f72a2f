import { pickLearningRate, type LrPick, type LrSearch } from './lr-search';

/** Test-only: learning-rate picks as a sweep writes them, for the tests of their readers and filter. */
const search: LrSearch = { rule: 'sankararaman-a1', grid: [0.01, 0.1], runs: 1, minCompleted: 1 };
const summary = (finalTrainLoss: number) => ({ outcome: 'completed', finalTrainLoss }) as never;
// experiments' own rule, so the file checked is what a sweep writes: at width 8 rate 0.1 has the lower loss, at width 16 rate 0.01.
export const picks: LrPick[] = [
  pickLearningRate(search, { width: 8, dataSeed: 3 }, [
    { lr: 0.01, summary: summary(0.5), records: [] },
    { lr: 0.1, summary: summary(0.2), records: [] },
  ]),
  pickLearningRate(search, { width: 16, dataSeed: 3 }, [
    { lr: 0.01, summary: summary(0.1), records: [] },
    { lr: 0.1, summary: summary(0.4), records: [] },
  ]),
  pickLearningRate(search, { width: 32, dataSeed: 3 }, []),
];

