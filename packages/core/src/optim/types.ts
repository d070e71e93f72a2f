import type { Tensor, Variable } from '../tf';
import type { NamedArray } from '../named-array';

/**
 * The optimizer contract, apart from `createOptimizer` (optimizer.ts), which builds every
 * optimizer and so imports them all; the optimizers import only this.
 *
 * One optimizer interface for our SGD and TF.js's adaptive methods. `step` receives the gradient
 * of each trainable variable and the learning rate for this step (schedules live outside).
 */
export interface Optimizer {
  readonly name: string;
  step(variables: readonly Variable[], grads: readonly Tensor[], learningRate: number): void;
  /**
   * Its state (momentum buffers, moments, step counts) as named arrays a checkpoint can hold;
   * `variables` are the ones `step` receives, in the same order. Stateless optimizers return [].
   */
  saveSlots(variables: readonly Variable[]): Promise<NamedArray[]>;
  /** Restores what `saveSlots` returned, for the same variables in the same order. */
  loadSlots(variables: readonly Variable[], slots: readonly NamedArray[]): Promise<void>;
  dispose(): void;
}

export type OptimizerSpec =
  | { readonly name: 'sgd'; readonly momentum?: number; readonly nesterov?: boolean; readonly weightDecay?: number }
  | { readonly name: 'adam'; readonly beta1?: number; readonly beta2?: number; readonly epsilon?: number }
  | { readonly name: 'adagrad'; readonly initialAccumulatorValue?: number }
  | { readonly name: 'adadelta'; readonly rho?: number; readonly epsilon?: number }
  | { readonly name: 'end-to-end'; readonly virtualDepth: number; readonly weightDecay?: number };

export const optimizerNames = ['sgd', 'adam', 'adagrad', 'adadelta', 'end-to-end'] as const;
