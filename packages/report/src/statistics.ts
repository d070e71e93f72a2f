import { lastValue, type RunView } from '@overparam/experiments';

/** A number per run that a sweep figure plots against a swept key. */
export interface RunStatistic {
  readonly id: string;
  /** Axis title. */
  readonly title: string;
  /** What it measures, for the caption. */
  readonly meaning: string;
  readonly logY?: boolean;
  /** Meaningful only after a run has trained (left out for 0-step runs). */
  readonly afterTraining?: boolean;
  /** The record kinds it reads (empty: summary.json, which every run that ended has). */
  readonly records: readonly string[];
  read(run: RunView): number | undefined;
}

const fromSummary = (value: number | null | undefined): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * The statistics a sweep report plots against each swept key, in the order shown. Measurements
 * taken during training are read from the run's last record of that kind (the hooks measure at
 * the end of training by default).
 */
export const runStatistics: readonly RunStatistic[] = [
  {
    id: 'final-train-loss',
    title: 'final training loss',
    meaning: 'the mean loss over the whole training split after the last step (summary.json `finalTrainLoss`)',
    logY: true,
    afterTraining: true,
    records: [],
    read: (r) => fromSummary(r.summary?.finalTrainLoss),
  },
  { id: 'test-accuracy', title: 'test accuracy', meaning: 'accuracy on the test split after training (summary.json `testAccuracy`)', afterTraining: true, records: [], read: (r) => fromSummary(r.summary?.testAccuracy) },
  {
    id: 'min-cosine',
    title: 'min cosine (per-example gradients)',
    meaning: 'the smallest cosine between two per-example loss gradients at the last `confusion` measurement; more negative means more gradient confusion',
    records: ['confusion'],
    read: (r) => lastValue(r, 'confusion', 'minCos'),
  },
  {
    id: 'mean-cosine',
    title: 'mean cosine (per-example gradients)',
    meaning: 'the mean pairwise cosine of per-example loss gradients at the last `confusion` measurement',
    records: ['confusion'],
    read: (r) => lastValue(r, 'confusion', 'meanCos'),
  },
  {
    id: 'minibatch-min-cosine',
    title: 'min cosine (minibatch pairs)',
    meaning: "the smallest cosine between two minibatch gradients at the last `minibatch-confusion` measurement (the paper's protocol)",
    records: ['minibatch-confusion'],
    read: (r) => lastValue(r, 'minibatch-confusion', 'minCos'),
  },
  {
    id: 'lambda-min',
    title: 'λ_min of the Gram',
    meaning: 'the smallest eigenvalue of the Gram at the last `spectrum` measurement',
    logY: true,
    records: ['spectrum'],
    read: (r) => lastValue(r, 'spectrum', 'lambdaMin'),
  },
  {
    id: 'condition',
    title: 'κ = λ_max / λ_min',
    meaning: 'the condition number of the Gram at the last `spectrum` measurement',
    logY: true,
    records: ['spectrum'],
    read: (r) => lastValue(r, 'spectrum', 'condition'),
  },
];
