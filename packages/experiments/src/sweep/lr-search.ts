import type { RunRecord } from '@overparam/core';
import { OPTIMAL_LOSS_RECORD } from '@overparam/metrics';
import { z } from 'zod';
import type { RunSummary } from '../store/summary';

/**
 * The papers' rules for choosing a learning rate, as data: each rule's grid, runs per rate and
 * how the rate is picked. A sweep with `lrSearch` runs every rate of the grid at every grid
 * point, then picks one per point and says why (lr-search.json).
 */
export const lrRules = {
  /** Sankararaman et al., appendix A.1: 10 runs per rate, at least 8 must complete, lowest mean final training loss. */
  'sankararaman-a1': { grid: [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6], runs: 10, minCompleted: 8 },
  /** Arora et al., appendix C.1: the rate that first brings the training loss to a target. */
  'arora-c1': { grid: [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2, 1e-1, 5e-1], runs: 1, minCompleted: 1 },
} as const;
export type LrRule = keyof typeof lrRules;
export const lrRuleNames = Object.keys(lrRules) as LrRule[];

const gridSchema = z.array(z.number().positive()).min(2);
export const lrSearchSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('sankararaman-a1'),
    /** Default: the rule's own grid. */
    grid: gridSchema.optional(),
    /** Runs (seeds) per rate; default the rule's. Seeds count up from the sweep's first seed. */
    runs: z.number().int().min(1).optional(),
    /** Completed (not diverged) runs a rate needs to be eligible; default the rule's. */
    minCompleted: z.number().int().min(1).optional(),
  }),
  z.strictObject({
    rule: z.literal('arora-c1'),
    grid: gridSchema.optional(),
    runs: z.number().int().min(1).optional(),
    minCompleted: z.number().int().min(1).optional(),
    /** The training loss (a `train` record's mean minibatch loss) to reach. */
    target: z.number().positive(),
    /**
     * Measure the target above the optimum, on loss − optimum (what Arora et al. (2018) plots), the optimum
     * read from the run's `optimal-loss` record: for data whose least loss is not known in advance.
     */
    aboveOptimum: z.boolean().optional(),
  }),
]);
export type LrSearch = z.output<typeof lrSearchSchema>;

export function lrSearchGrid(search: LrSearch): readonly number[] {
  return search.grid ?? lrRules[search.rule].grid;
}
export function lrSearchRuns(search: LrSearch): number {
  return search.runs ?? lrRules[search.rule].runs;
}

/** One rate's runs at one grid point, and how the rule judged it. */
export interface LrCandidate {
  readonly lr: number;
  readonly runs: number;
  readonly completed: number;
  /** sankararaman-a1: mean final training loss of the completed runs. */
  readonly meanFinalTrainLoss?: number | null;
  /** arora-c1: the mean over runs of the first step whose logged loss is ≤ the target (null: never reached). */
  readonly stepsToTarget?: number | null;
  readonly eligible: boolean;
  readonly why: string;
}

export interface LrPick {
  /** The grid point (every grid key but lr). */
  readonly point: Readonly<Record<string, unknown>>;
  readonly rule: LrRule;
  readonly lr: number | null;
  readonly reason: string;
  /** The pick is the grid's smallest or largest rate: the best rate may lie outside the grid. */
  readonly onEdge: boolean;
  readonly candidates: readonly LrCandidate[];
}

export interface LrRunResult {
  readonly lr: number;
  readonly summary: RunSummary | undefined;
  readonly records: readonly RunRecord[];
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function optimumOf(records: readonly RunRecord[]): number | undefined {
  const value = records.find((r) => r.kind === OPTIMAL_LOSS_RECORD)?.['optimum'];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Applies the rule to one grid point's runs. */
export function pickLearningRate(search: LrSearch, point: Readonly<Record<string, unknown>>, results: readonly LrRunResult[]): LrPick {
  const grid = lrSearchGrid(search);
  const minCompleted = search.minCompleted ?? lrRules[search.rule].minCompleted;
  const candidates: LrCandidate[] = grid.map((lr) => {
    const runs = results.filter((r) => r.lr === lr);
    const done = runs.filter((r) => r.summary?.outcome === 'completed');
    const base = { lr, runs: runs.length, completed: done.length };
    if (done.length < minCompleted) return { ...base, eligible: false, why: `${done.length} of ${runs.length} runs completed; the rule needs ${minCompleted}` };
    if (search.rule === 'sankararaman-a1') {
      const losses = done.map((r) => r.summary!.finalTrainLoss).filter((l): l is number => l !== null);
      if (losses.length < minCompleted) return { ...base, meanFinalTrainLoss: null, eligible: false, why: 'final training losses are missing' };
      const m = mean(losses);
      return { ...base, meanFinalTrainLoss: m, eligible: true, why: `mean final training loss ${m.toPrecision(4)} over ${losses.length} runs` };
    }
    const offsets = done.map((r) => (search.aboveOptimum === true ? optimumOf(r.records) : 0));
    if (offsets.some((o) => o === undefined)) return { ...base, stepsToTarget: null, eligible: false, why: `the target is above the optimum, but a run has no ${OPTIMAL_LOSS_RECORD} record` };
    const steps = done.map((r, i) => r.records.find((rec) => rec.kind === 'train' && typeof rec.loss === 'number' && rec.loss - offsets[i]! <= search.target)?.step ?? null);
    const what = search.aboveOptimum === true ? `loss − optimum ${search.target}` : `the loss target ${search.target}`;
    if (steps.some((s) => s === null)) return { ...base, stepsToTarget: null, eligible: false, why: `did not reach ${what} in every run` };
    const m = mean(steps as number[]);
    return { ...base, stepsToTarget: m, eligible: true, why: `reached loss ${search.target} after ${m} steps` };
  });
  const eligible = candidates.filter((c) => c.eligible);
  const score = (c: LrCandidate) => (search.rule === 'sankararaman-a1' ? c.meanFinalTrainLoss! : c.stepsToTarget!);
  const best = eligible.reduce<LrCandidate | undefined>((b, c) => (b === undefined || score(c) < score(b) ? c : b), undefined);
  const sorted = [...grid].sort((a, b) => a - b);
  const onEdge = best !== undefined && (best.lr === sorted[0] || best.lr === sorted.at(-1));
  const criterion = search.rule === 'sankararaman-a1' ? 'the lowest mean final training loss' : `the fewest steps to loss ${search.aboveOptimum === true ? '− optimum ' : ''}${search.target}`;
  const reason =
    best === undefined
      ? `no rate was eligible (${candidates.map((c) => `${c.lr}: ${c.why}`).join('; ')})`
      : `${search.rule} picked lr ${best.lr}: ${criterion} among ${eligible.length} eligible rates (${best.why})${onEdge ? '; it lies on the edge of the grid, so a better rate may lie outside it' : ''}`;
  return { point, rule: search.rule, lr: best?.lr ?? null, reason, onEdge, candidates };
}
