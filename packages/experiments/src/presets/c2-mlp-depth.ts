import { confusionText, LAPTOP_CONFUSION, LAPTOP_REPLICAS, laptopLrSearch, laptopLrSearchText, mlpCriteria, mlpSweep, PAPER_CONFUSION, type ConfusionProtocol } from './mlp-sweeps';
import type { CriterionResult, Preset } from './preset';

/**
 * Sankararaman et al. (2020), appendix A.1, fig. 5, and their Theorem 4.1: MLP-β-100 on MNIST with
 * tanh or identity activations under Glorot or LeCun normal initialization. The deeper the net,
 * the more its gradients conflict: the smallest cosine between two gradients falls, at
 * initialization and at the end of training, and the final training loss rises.
 */
const WIDTH = 100;
const SMOKE_STEPS = 10;
const SMOKE_DEPTHS = [3, 10, 30, 60];
const SMOKE_CONFUSION: ConfusionProtocol = { initExamples: 50, endPairs: 10 };
const LAPTOP_DEPTHS = [3, 10, 30, 100];
const LAPTOP_STEPS = 500;
/** A first laptop run also tried lr 1, where no network trained (identity nets diverged, tanh nets ended at or above the chance loss ln 10 ≈ 2.3); it was dropped to fit the time. */
const LAPTOP_LR = { grid: [0.1, 0.01], why: 'lr 1 trained no network in a first run' } as const;

export const mlpDepthPreset: Preset = {
  id: 'c2-mlp-depth',
  claim: 'At a fixed width of 100, deeper MLPs on MNIST have more gradient confusion (a lower minimum cosine between gradients) at initialization and at the end of training, and end training at a higher loss.',
  source: 'Sankararaman et al. (2020), appendix A.1, fig. 5; Theorem 4.1',
  replicas: LAPTOP_REPLICAS,
  reading:
    'One point per network (activation, initializer, depth β). At the end of training the min cosine is the paper’s: the smallest cosine between the loss gradients of two minibatches of 128, over many pairs (“min cosine (minibatch pairs)”); at initialization it is the check of Theorem 4.1, the smallest cosine between two examples’ gradients over all pairs of a fixed set (“min cosine (per-example gradients)”). Lower means more confusion; both should fall with β in every family while the final training loss rises. A trend is judged by its slope against log β with a margin of two standard errors over the seeds; runs that did not train are left out of the end-of-training cosine and counted. With a searched learning rate the criteria use the runs at the rate the paper’s rule picked (lr-search.json says why), and each figure a criterion names draws the same runs its criterion judged (its caption counts those left out).',
  figures: ['minibatch-min-cosine-vs-depth', 'min-cosine-vs-depth', 'final-train-loss-vs-depth', 'training-loss-at-picked-lr'],
  scales: {
    smoke: {
      sweeps: { depth: mlpSweep({ axis: 'depth', values: SMOKE_DEPTHS, fixed: WIDTH, data: { data: 'mnist' }, steps: SMOKE_STEPS, lr: 0.01, confusion: SMOKE_CONFUSION }) },
      scaledDown: `the 10,000 shipped MNIST digits; depths {${SMOKE_DEPTHS.join(', ')}}; ${SMOKE_STEPS} steps at a fixed lr 0.01 (no learning-rate search), one run each, so no trend clears a noise margin; ${confusionText(SMOKE_CONFUSION)}. The end-of-training trends are reported only: ${SMOKE_STEPS} steps are not the end of training.`,
    },
    laptop: {
      sweeps: {
        depth: mlpSweep({ axis: 'depth', values: LAPTOP_DEPTHS, fixed: WIDTH, data: { data: 'mnist' }, steps: LAPTOP_STEPS, lr: laptopLrSearch(LAPTOP_LR), confusion: LAPTOP_CONFUSION }),
      },
      scaledDown: `the 10,000 shipped MNIST digits (7,996 for training); depths {${LAPTOP_DEPTHS.join(', ')}} instead of up to 1000; ${LAPTOP_STEPS} steps (8 epochs) instead of 40,000; ${laptopLrSearchText(LAPTOP_LR)}; ${confusionText(LAPTOP_CONFUSION)}.`,
    },
    paper: {
      sweeps: {
        depth: mlpSweep({ axis: 'depth', values: [3, 10, 30, 100, 300, 1000], fixed: WIDTH, data: { data: 'mnist-full' }, steps: 40_000, lr: { rule: 'sankararaman-a1' }, confusion: PAPER_CONFUSION }),
      },
      scaledDown: `nothing: full MNIST (pass the IDX files with --set dataDir=DIR) in the 40,000/10,000/10,000 split, depths {3, 10, 30, 100, 300, 1000} at width 100, batch 128, 40,000 steps, the paper’s rule (10 runs per rate over {1, …, 1e-6}, at least 8 completed, lowest mean final training loss); ${confusionText(PAPER_CONFUSION)}.`,
    },
  },
  criteria(results, scale): CriterionResult[] {
    return mlpCriteria(results, 'depth', { axis: 'depth', cosine: 'falls', ...(scale === 'smoke' ? { trainingNotJudged: `${SMOKE_STEPS} steps at smoke scale` } : {}) });
  },
};
