import { flattenTree, tf, type Model, type Tensor } from '@overparam/core';
import type { ModelFactory } from './conformance';
import { randomBatch } from './model-gradcheck';

/**
 * Batch-norm behaviour seen from outside a model: in evaluation mode an example's output depends
 * on that example alone; in training mode batch statistics couple the examples of a batch; running
 * statistics change only through `commitState`.
 */

function rowZero(model: Model, x: Tensor, training: boolean): Float32Array {
  return tf.tidy(() => {
    const out = model.apply(x, { training, rng: { seed: () => 7 } });
    return tf.slice(tf.reshape(out, [out.shape[0]!, -1]), [0, 0], [1, -1]).dataSync() as Float32Array;
  });
}

const maxDiff = (p: ArrayLike<number>, q: ArrayLike<number>) => Array.from(p).reduce((m, v, i) => Math.max(m, Math.abs(v - q[i]!)), 0);
const maxAbs = (p: ArrayLike<number>) => Array.from(p).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

export interface BatchCouplingReport {
  /** max |Δ| of example 0's evaluation-mode output when the other examples of its batch change. */
  readonly evalChange: number;
  /** The same in training mode. */
  readonly trainingChange: number;
  /** max |training − evaluation| of example 0's output (with freshly initialized running statistics). */
  readonly modeDifference: number;
  /** max |output| of example 0: the scale the three are judged against. */
  readonly scale: number;
}

/** Example 0 in the batches [a, b, b′] and [a, 3b + 1, 3b′ + 1], in both modes. */
export function batchCouplingReport(model: Model): BatchCouplingReport {
  const { x, y } = randomBatch(model, 3, 14);
  const other = tf.tidy(() => tf.concat([tf.slice(x, 0, 1), tf.add(tf.mul(tf.slice(x, 1, 2), 3), 1)], 0));
  try {
    const evalA = rowZero(model, x, false);
    const trainA = rowZero(model, x, true);
    return {
      evalChange: maxDiff(evalA, rowZero(model, other, false)),
      trainingChange: maxDiff(trainA, rowZero(model, other, true)),
      modeDifference: maxDiff(evalA, trainA),
      scale: maxAbs(evalA),
    };
  } finally {
    tf.dispose([x, y, other]);
  }
}

export interface RunningStatisticsReport {
  readonly statePaths: readonly string[];
  /** Paths a training-mode pass wrote updates for. */
  readonly updatedPaths: readonly string[];
  /** Updates an evaluation-mode pass wrote (should be none). */
  readonly evalModeUpdates: number;
  /** The state before `commitState` equals the state at initialization. */
  readonly untouchedBeforeCommit: boolean;
  /** After `commitState` the state holds exactly the updates. */
  readonly committedAsWritten: boolean;
  /** max |Δ| of the state over the commit, and of the evaluation-mode output. */
  readonly stateChange: number;
  readonly evalOutputChange: number;
  readonly finite: boolean;
}

export function runningStatisticsReport(build: ModelFactory): RunningStatisticsReport {
  const model = build(8);
  const { x, y } = randomBatch(model, 4, 15);
  const read = () => flattenTree(model.state).map(([path, v]) => [path, Float32Array.from(v.dataSync())] as const);
  try {
    const initial = read();
    const evalBefore = rowZero(model, x, false);
    const updates = new Map<string, Tensor>();
    tf.tidy(() => void model.apply(x, { training: true, stateUpdates: updates, rng: { seed: () => 7 } }));
    const written = new Map([...updates].map(([path, t]) => [path, Float32Array.from(t.dataSync())]));
    const evalUpdates = new Map<string, Tensor>();
    tf.tidy(() => void model.apply(x, { training: false, stateUpdates: evalUpdates }));
    const evalModeUpdates = evalUpdates.size;
    tf.dispose([...evalUpdates.values()]);
    const beforeCommit = read();
    model.commitState(updates);
    const after = read();
    const stateChange = after.reduce((m, [, v], i) => Math.max(m, maxDiff(v, initial[i]![1])), 0);
    return {
      statePaths: initial.map(([path]) => path),
      updatedPaths: [...written.keys()],
      evalModeUpdates,
      untouchedBeforeCommit: beforeCommit.every(([, v], i) => maxDiff(v, initial[i]![1]) === 0),
      committedAsWritten: after.every(([path, v]) => written.has(path) && maxDiff(v, written.get(path)!) === 0),
      stateChange,
      evalOutputChange: maxDiff(evalBefore, rowZero(model, x, false)),
      finite: after.every(([, v]) => v.every(Number.isFinite)),
    };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
