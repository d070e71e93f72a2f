import { OPTIMAL_LOSS_RECORD } from '@overparam/metrics';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/config';
import { logLossArea, runsAtBestRate } from './arora-regression';
import type { CellResult } from './preset';

/** A depth-1 run at `lr` whose logged training losses are `losses` (every 10 steps). */
function curve(losses: readonly number[], lr = 0.1, seed = 0, status: CellResult['status'] = 'completed'): CellResult {
  return {
    id: `lr${lr}s${seed}`,
    overrides: { lr },
    seed,
    config: parseRunConfig({ arch: 'deep-linear', data: 'lp-regression', loss: 'lp', p: 4, lr, seed }),
    status,
    summary: undefined,
    records: losses.map((loss, i) => ({ kind: 'train', step: 10 * (i + 1), epoch: 0, loss })),
  };
}

describe('the area under the log-loss curve', () => {
  it('is the mean log₁₀ of the logged losses, undefined once one is not positive and finite', () => {
    // log₁₀ 100, 1, 0.01 = 2, 0, −2: mean 0; a fast start (0.01 first) gives the same, a slow one more.
    expect(logLossArea(curve([100, 1, 0.01]))).toBeCloseTo(0, 12);
    expect(logLossArea(curve([0.01, 1, 100]))).toBeCloseTo(0, 12);
    expect(logLossArea(curve([1000, 1000, 0.001]))).toBeCloseTo(1, 12);
    expect(logLossArea(curve([1, Number.NaN]))).toBeUndefined();
    expect(logLossArea(curve([1, 0]))).toBeUndefined();
    expect(logLossArea(curve([]))).toBeUndefined();
  });

  it('above the optimum, is the mean log₁₀ of loss − optimum, a gap below the optimum floored at its float32 rounding', () => {
    const withOptimum = (losses: readonly number[], optimum: number): CellResult => {
      const c = curve(losses);
      return { ...c, records: [{ kind: OPTIMAL_LOSS_RECORD, step: 0, epoch: 0, optimum }, ...c.records] };
    };
    // Gaps 100, 1, 0.01 above an optimum of 2: mean log₁₀ 0.
    expect(logLossArea(withOptimum([102, 3, 2.01], 2), true)).toBeCloseTo(0, 12);
    // A loss a hair under the optimum counts as the floor 2·1e-7, not as an undefined log.
    expect(logLossArea(withOptimum([2 - 1e-9], 2), true)).toBeCloseTo(Math.log10(2e-7), 9);
    // No optimum recorded: no area above it.
    expect(logLossArea(curve([1, 2]), true)).toBeUndefined();
  });
});

describe('runs at the best rate', () => {
  it("are the completed runs at the rule's pick when it made one", () => {
    const cells = [curve([1, 0.1], 0.1, 0), curve([1, 0.1], 0.1, 1, 'diverged'), curve([1, 0.001], 0.5, 0)];
    expect(runsAtBestRate(cells, 0.1)).toEqual({ runs: [cells[0]], lr: 0.1, fallback: false });
  });

  it('without a pick, are the runs at the rate with the lowest mean area; on a tie the first rate in cell order', () => {
    // lr 0.1: areas −1 and −2 (mean −1.5); lr 0.5: −2 and −1 (a tie with 0.1); lr 1: −1 (worse).
    const cells = [curve([0.1], 0.1, 0), curve([0.01], 0.1, 1), curve([0.01], 0.5, 0), curve([0.1], 0.5, 1), curve([0.1], 1, 0)];
    expect(runsAtBestRate(cells, null)).toEqual({ runs: [cells[0], cells[1]], lr: 0.1, fallback: true });
    expect(runsAtBestRate(cells.slice(2), null)).toEqual({ runs: [cells[2], cells[3]], lr: 0.5, fallback: true });
    // A rate whose runs all lack an area does not compete; with none left there is nothing.
    expect(runsAtBestRate([curve([0], 0.1, 0), curve([1], 0.5, 0)], null).lr).toBe(0.5);
    expect(runsAtBestRate([curve([0], 0.1, 0)], null)).toEqual({ runs: [], lr: undefined, fallback: false });
  });
});
