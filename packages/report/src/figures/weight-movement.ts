import { weightMovementSpec } from '../charts/weight-movement';
import { figure, hasCurve, labelled, settingsTitle } from './figure';

export const weightMovement = figure({
  id: 'weight-movement',
  records: ['weight-movement'],
  applies: (input) => hasCurve(input, 'weight-movement'),
  title: 'Weight movement',
  caption: () =>
    'Relative distance from initialization ‖W(k) − W(0)‖_F / ‖W(0)‖_F against the step, for all parameters together and per layer (weights and bias together, named by their position in the network; layers initialized at zero have no ratio and are left out). With several settings, one panel per layer. Du et al.’s analysis keeps every layer close to its initialization.',
  spec: (input) => weightMovementSpec(labelled(input.runs), { legendTitle: settingsTitle(input.runs) }),
});
