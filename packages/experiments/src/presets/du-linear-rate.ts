import { firstValue, numberField, recordsOf } from '../results/records';
import type { RunView } from '../results/run-view';

/**
 * Du et al. (2019), Theorem 5.1: once the net is wide enough, full-batch gradient descent shrinks
 * the training loss at least by the factor (1 − ηλ₀/2) per step, L(k) ≤ (1 − ηλ₀/2)^k · L(0).
 * Read from a run's own numbers: λ₀ from its `population-gram` record, η from its learning rate.
 * Du et al. descend the sum ½ Σᵢ (uᵢ − yᵢ)² over the n examples; our square loss is the mean, so
 * gradient descent on it with rate lr is theirs with η = lr / n. The ratio L(k) / L(0) is the same
 * for the sum and the mean, so the bound applies to the logged loss unchanged.
 */

type RateRun = Pick<RunView, 'config' | 'records'>;

/** 1 − ηλ₀/2 with η = lr / n; undefined when the run has no λ₀, rate or example count. */
export function duRatePerStep(run: RateRun): number | undefined {
  const lambda0 = firstValue(run, 'population-gram', 'lambda0');
  const lr = run.config?.lr;
  const n = run.config?.dataOptions['n'];
  if (lambda0 === undefined || typeof lr !== 'number' || typeof n !== 'number' || !(n > 0)) return undefined;
  return 1 - ((lr / n) * lambda0) / 2;
}

/**
 * The theorem's bound at each step the run measured its full training loss: (1 − ηλ₀/2)^k · L(0),
 * k counted from its first measurement; empty without the rate or a first loss.
 */
export function duLossBound(run: RateRun): Array<{ step: number; loss: number }> {
  const rate = duRatePerStep(run);
  const records = recordsOf(run, 'full-loss');
  const start = numberField(records[0], 'loss');
  if (rate === undefined || start === undefined || records.length === 0) return [];
  const first = records[0]!.step;
  return records.map((r) => ({ step: r.step, loss: start * rate ** (r.step - first) }));
}
