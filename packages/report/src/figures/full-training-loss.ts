import { duLossBound, type LabelledRunView } from '@overparam/experiments';
import { lossCurvesSpec, type LossGuidePoint } from '../charts/loss-curves';
import { figure, hasCurve, labelled, settingsTitle } from './figure';

/** The legend's name for Du et al.'s rate bound. */
const BOUND = 'bound (1 − ηλ₀/2)^k · L(0)';

/**
 * Du et al. (2019), Theorem 5.1's bound on each run that measured λ₀ (its `population-gram`
 * record), from the run's own η and λ₀: the same numbers c12's linear-rate criterion compares
 * the loss's slope with (du-linear-rate.ts).
 */
function rateBounds(runs: readonly LabelledRunView[]): LossGuidePoint[] {
  return runs.flatMap((r) => duLossBound(r).map((p) => ({ run: `${r.id}-bound`, setting: BOUND, seed: r.seed, step: p.step, loss: p.loss })));
}

export const fullTrainingLoss = figure({
  id: 'full-training-loss',
  records: ['full-loss'],
  applies: (input) => hasCurve(input, 'full-loss'),
  title: 'Full training loss',
  caption: (input) =>
    `The loss on the whole training split (or its fixed subset), measured on a schedule in evaluation mode, against the step, on a log axis: unlike the minibatch loss it has no sampling noise, so a straight falling line is linear convergence and a flat tail a plateau — except a tail near 1e-12 or below, which is float32’s rounding of the residuals (ε₃₂² ≈ 1e-14 times the squared targets), the arithmetic’s floor rather than a plateau of the optimization. Thin lines: one run each; thick line and band: geometric mean and exp(mean ± std) of ln loss over seeds.${
      rateBounds(input.runs).length > 0
        ? ` Dashed, “${BOUND}”: Du et al. (2019) (Theorem 5.1) bound each run’s loss by (1 − ηλ₀/2)^k times its first value, with λ₀ the run’s population-Gram eigenvalue and η = lr / n (Du et al. descend the sum over the n examples, we the mean); a run converges at least at the theorem’s linear rate where its line falls at least as steeply.`
        : ''
    }`,
  spec: (input) => {
    const guides = rateBounds(input.runs);
    return lossCurvesSpec(labelled(input.runs), { kind: 'full-loss', guides, legendTitle: guides.length > 0 ? `${settingsTitle(input.runs)}, and the bound` : settingsTitle(input.runs) });
  },
});
