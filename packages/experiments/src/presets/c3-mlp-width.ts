import { LAPTOP_LR_SEARCH, LAPTOP_LR_SEARCH_TEXT, mlpCriteria, mlpSweep, PAPER_CONFUSION } from './mlp-sweeps';
import type { CriterionResult, Preset } from './preset';

/**
 * Seed 001, appendix A.1, fig. 6, and Theorem 4.1 of seed 000: deep MLP-β-ℓ on MNIST with tanh or
 * identity activations under Glorot or LeCun normal initialization. At a fixed (large) depth, the
 * wider the net, the less its gradients conflict: the smallest cosine between two gradients rises,
 * at initialization and at the end of training, and the final training loss falls.
 */
const SMOKE_STEPS = 10;
const SMOKE_DEPTH = 10;
/** The paper fixes β = 300; on two cores a depth of 30 is what a width sweep with a rate search can afford. */
const LAPTOP_DEPTH = 30;

export const mlpWidthPreset: Preset = {
  id: 'c3-mlp-width',
  claim: 'At a fixed large depth, wider MLPs on MNIST have less gradient confusion (a higher minimum cosine between gradients) at initialization and at the end of training, and end training at a lower loss.',
  source: 'seed 001 A.1 fig. 6; seed 000 Theorem 4.1',
  reading:
    'One point per network (activation, initializer, width ℓ). The min cosine is the smallest cosine between the loss gradients of two examples (laptop and smoke: all pairs of a fixed set of training examples; paper: 1000 pairs of minibatches of 128); higher means less confusion. It should rise with ℓ in every family, at initialization and after training, while the final training loss falls. The figure against the size shows the last measurement (the end of training); the over-training figures start at initialization, and the criteria table gives both. With a searched learning rate the criteria use the runs at the rate the paper’s rule picked (lr-search.json says why), while the figures show every rate tried.',
  scales: {
    smoke: {
      sweeps: { width: mlpSweep({ axis: 'width', values: [10, 30, 100, 300], fixed: SMOKE_DEPTH, data: { data: 'mnist' }, steps: SMOKE_STEPS, lr: 0.01, confusion: { n: 50 } }) },
      scaledDown: `the 10,000 shipped MNIST digits; depth ${SMOKE_DEPTH} instead of 300, widths {10, 30, 100, 300}; ${SMOKE_STEPS} steps at a fixed lr 0.01 (no learning-rate search), one run each; confusion over all pairs of 50 fixed training examples (per-example, Definition 2.1) instead of 1000 minibatch pairs. Only the trend at initialization is judged: ${SMOKE_STEPS} steps are not the end of training.`,
    },
    laptop: {
      sweeps: {
        width: mlpSweep({
          axis: 'width',
          values: [10, 30, 100, 300],
          fixed: LAPTOP_DEPTH,
          data: { data: 'mnist' },
          steps: 500,
          lr: LAPTOP_LR_SEARCH,
          confusion: { n: 100 },
        }),
      },
      scaledDown: `the 10,000 shipped MNIST digits (7,996 for training); depth ${LAPTOP_DEPTH} instead of 300 and widths {10, 30, 100, 300} instead of up to 1000; 500 steps (8 epochs) instead of 40,000; ${LAPTOP_LR_SEARCH_TEXT}; confusion over all pairs of 100 fixed training examples (per-example, Definition 2.1) instead of 1000 minibatch pairs.`,
    },
    paper: {
      sweeps: {
        width: mlpSweep({ axis: 'width', values: [10, 30, 100, 300, 1000], fixed: 300, data: { data: 'mnist-full' }, steps: 40_000, lr: { rule: 'sankararaman-a1' }, confusion: PAPER_CONFUSION }),
      },
      scaledDown:
        'nothing: full MNIST (pass the IDX files with --set dataDir=DIR) in the 40,000/10,000/10,000 split, widths {10, 30, 100, 300, 1000} at depth 300, batch 128, 40,000 steps, the paper’s rule (10 runs per rate over {1, …, 1e-6}, at least 8 completed, lowest mean final training loss), 1000 minibatch pairs of 128 for the min cosine.',
    },
  },
  criteria(results, scale): CriterionResult[] {
    return mlpCriteria(results, 'width', { axis: 'width', cosine: 'rises', ...(scale === 'smoke' ? { trainingNotJudged: `${SMOKE_STEPS} steps at smoke scale` } : {}) });
  },
};
