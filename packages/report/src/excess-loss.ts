import { OPTIMAL_LOSS_RECORD } from '@overparam/experiments';
import type { LabelledRun } from './charts/loss-curves';
import { lastValue } from '@overparam/experiments';

/**
 * Arora et al. (2018) plots the training loss minus the least loss a linear model can reach (appendix C.1),
 * so that convergence shows on a log axis however far the optimum is from 0. Runs that recorded
 * that optimum (the `optimal-loss` metric) come back with every `train` loss replaced by
 * loss − optimum; runs without it are left out. Differences at or below 0 (a float32 loss can round
 * under the float64 optimum) drop out of the log-axis chart, as any non-positive loss does.
 */
export function aboveOptimum(runs: readonly LabelledRun[]): LabelledRun[] {
  return runs.flatMap((run) => {
    const optimum = lastValue(run, OPTIMAL_LOSS_RECORD, 'optimum');
    if (optimum === undefined) return [];
    const records = run.records.filter((r) => r.kind === 'train').map((r) => (typeof r['loss'] === 'number' ? { ...r, loss: r['loss'] - optimum } : r));
    return [{ ...run, records }];
  });
}
