import { lossCurvesSpec } from '../charts/loss-curves';
import { figure, hasCurve, labelled } from './figure';

export const fullTrainingLoss = figure({
  id: 'full-training-loss',
  records: ['full-loss'],
  applies: (input) => hasCurve(input, 'full-loss'),
  title: 'Full training loss',
  caption: () =>
    'The loss on the whole training split (or its fixed subset), measured on a schedule in evaluation mode, against the step, on a log axis: unlike the minibatch loss it has no sampling noise, so a straight falling line is linear convergence and a flat tail a plateau — except a tail near 1e-12 or below, which is float32’s rounding of the residuals (ε₃₂² ≈ 1e-14 times the squared targets), the arithmetic’s floor rather than a plateau of the optimization. Thin lines: one run each; thick line and band: geometric mean and exp(mean ± std) of ln loss over seeds.',
  spec: (input) => lossCurvesSpec(labelled(input.runs), { kind: 'full-loss' }),
});
