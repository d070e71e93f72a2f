/**
 * The one place core touches TensorFlow.js's module layout.
 *
 * Ops come from `@tensorflow/tfjs-core`. Gradients do not: tfjs-core registers none of them when
 * loaded by Node (its `register_all_gradients` module is extension-less ESM that Node cannot
 * import), while the union package `@tensorflow/tfjs` registers every kernel's gradient on load,
 * in a form both Node and bundlers understand. We import it here once, for that side effect; it
 * shares the single tfjs-core instance, so registrations and tensors are the same everywhere.
 */
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';

export { tf };
export type { Tensor, Variable, Rank } from '@tensorflow/tfjs-core';
