import { confusionText, LAPTOP_CONFUSION, LAPTOP_REPLICAS, laptopLrSearch, laptopLrSearchText, mlpCriteria, mlpSweep, PAPER_CONFUSION, type ConfusionProtocol } from './mlp-sweeps';
import type { CriterionResult, Preset } from './preset';

/**
 * Sankararaman et al. (2020), appendix A.1, fig. 6, and their Theorem 4.1: deep MLP-β-ℓ on MNIST
 * with tanh or identity activations under Glorot or LeCun normal initialization. At a fixed
 * (large) depth, the wider the net, the less its gradients conflict: the smallest cosine between
 * two gradients rises, at initialization and at the end of training, and the final training loss
 * falls.
 */
const SMOKE_STEPS = 10;
const SMOKE_DEPTH = 10;
const SMOKE_CONFUSION: ConfusionProtocol = { initExamples: 50, endPairs: 10 };
/**
 * The paper fixes β = 300 because the width effect shows in nets deep enough to be "essentially
 * untrainable for small widths": Theorem 4.1's bound on confusion grows with depth and shrinks
 * with width, so the effect is clearest in the deepest nets one can afford (the former laptop
 * depth, 30, was a tenth of the paper's). β = 100 is the deepest at which three widths × four
 * families × two rates × three seeds fit the laptop budget: the step costs about β·ℓ², so width
 * 300 at β = 100 alone would cost nine times the three widths below it together (on a machine
 * loaded 14-fold, 200 steps of MLP-100-100 took 59 s and its 200 minibatch pairs 85 s). A laptop
 * run on node with --jobs 2 (loaded 4–10-fold) took 45 min, over the budget, and found tanh width
 * 10 untrainable here (final loss 2.30 ≈ ln 10), as widths 10–30 were at β = 300 in the paper.
 */
const LAPTOP_DEPTH = 100;
const LAPTOP_WIDTHS = [10, 30, 100];
const LAPTOP_STEPS = 500;
/**
 * At depth 100 the depth preset's rates are a decade too high: a laptop run over {0.1, 0.01} picked
 * 0.01, the grid's lower edge, at 10 of 12 grid points, and at identity width 100 both rates
 * diverged, so no rate was eligible there.
 */
const LAPTOP_LR = { grid: [0.01, 0.001], why: 'at depth 100, a first run over {0.1, 0.01} picked the lower edge at 10 of 12 points and had no eligible rate at identity width 100' } as const;

export const mlpWidthPreset: Preset = {
  id: 'c3-mlp-width',
  claim: 'At a fixed large depth, wider MLPs on MNIST have less gradient confusion (a higher minimum cosine between gradients) at initialization and at the end of training, and end training at a lower loss.',
  source: 'Sankararaman et al. (2020), appendix A.1, fig. 6; Theorem 4.1',
  replicas: LAPTOP_REPLICAS,
  reading:
    'One point per network (activation, initializer, width ℓ). At the end of training the min cosine is the paper’s: the smallest cosine between the loss gradients of two minibatches of 128, over many pairs (“min cosine (minibatch pairs)”); at initialization it is the check of Theorem 4.1, the smallest cosine between two examples’ gradients over all pairs of a fixed set (“min cosine (per-example gradients)”). Higher means less confusion; both should rise with ℓ in every family while the final training loss falls. A trend is judged by its slope against log ℓ with a margin of two standard errors over the seeds; runs that did not train are left out of the end-of-training cosine and counted. With a searched learning rate the criteria use the runs at the rate the paper’s rule picked (lr-search.json says why), and each figure a criterion names draws the same runs its criterion judged (its caption counts those left out).',
  figures: ['minibatch-min-cosine-vs-width', 'min-cosine-vs-width', 'final-train-loss-vs-width', 'training-loss-at-picked-lr'],
  scales: {
    smoke: {
      sweeps: { width: mlpSweep({ axis: 'width', values: [10, 30, 100, 300], fixed: SMOKE_DEPTH, data: { data: 'mnist' }, steps: SMOKE_STEPS, lr: 0.01, confusion: SMOKE_CONFUSION }) },
      scaledDown: `the 10,000 shipped MNIST digits; depth ${SMOKE_DEPTH} instead of 300, widths {10, 30, 100, 300}; ${SMOKE_STEPS} steps at a fixed lr 0.01 (no learning-rate search), one run each, so no trend clears a noise margin; ${confusionText(SMOKE_CONFUSION)}. The end-of-training trends are reported only: ${SMOKE_STEPS} steps are not the end of training.`,
    },
    laptop: {
      sweeps: {
        width: mlpSweep({ axis: 'width', values: LAPTOP_WIDTHS, fixed: LAPTOP_DEPTH, data: { data: 'mnist' }, steps: LAPTOP_STEPS, lr: laptopLrSearch(LAPTOP_LR), confusion: LAPTOP_CONFUSION }),
      },
      scaledDown: `the 10,000 shipped MNIST digits (7,996 for training); depth ${LAPTOP_DEPTH} instead of 300 and widths {${LAPTOP_WIDTHS.join(', ')}} instead of {10, 30, 100, 300, 1000} (a net's step costs about depth × width², so these are what fits); ${LAPTOP_STEPS} steps (8 epochs) instead of 40,000; ${laptopLrSearchText(LAPTOP_LR)}; ${confusionText(LAPTOP_CONFUSION)}.`,
    },
    paper: {
      sweeps: {
        width: mlpSweep({ axis: 'width', values: [10, 30, 100, 300, 1000], fixed: 300, data: { data: 'mnist-full' }, steps: 40_000, lr: { rule: 'sankararaman-a1' }, confusion: PAPER_CONFUSION }),
      },
      scaledDown: `nothing: full MNIST (pass the IDX files with --set dataDir=DIR) in the 40,000/10,000/10,000 split, widths {10, 30, 100, 300, 1000} at depth 300, batch 128, 40,000 steps, the paper’s rule (10 runs per rate over {1, …, 1e-6}, at least 8 completed, lowest mean final training loss); ${confusionText(PAPER_CONFUSION)}.`,
    },
  },
  criteria(results, scale): CriterionResult[] {
    return mlpCriteria(results, 'width', { axis: 'width', cosine: 'rises', ...(scale === 'smoke' ? { trainingNotJudged: `${SMOKE_STEPS} steps at smoke scale` } : {}) });
  },
};
