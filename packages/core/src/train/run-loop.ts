import type { BatchDraw } from '../data/sampler';
import type { NamedArray } from '../named-array';
import { tf, type Tensor } from '../tf';
import { yieldToEventLoop } from '../yield';
import { RunState, type RunSpec } from './run-state';
import type { TrainResult } from './types';

/**
 * The tensor side of a loop over one or more runs: a solo run's model and optimizer (`train()`),
 * or a replica group's stacked ones (`trainReplicas`). Members are addressed by their position
 * among the runs still training, which shrinks as runs leave.
 */
export interface Stepper {
  /** One optimizer step for every member with its minibatch; their losses, a scalar for a lone run or `[members]`, are the caller's to dispose. */
  step(members: readonly RunState[], draws: readonly BatchDraw[]): Tensor;
  /** Makes member j's own model hold its current parameters and state, before a hook or checkpoint reads them. */
  writeBack(j: number): void;
  /** Member j's optimizer slots, as its solo optimizer's `saveSlots` gives them. */
  saveSlots(j: number): Promise<NamedArray[]>;
  /** Only the members at these positions go on. */
  keep(indices: readonly number[]): void;
  dispose(): void;
}

export interface LoopParts {
  /** Builds the stepper for the runs that have steps to take (never called without one), after their checkpoints are restored. */
  stepper(members: readonly RunState[]): Promise<Stepper>;
  /** Optimizer slots of a run that takes no step here (zero steps, or ended before): what its unstepped optimizer saves. */
  idleSlots(run: RunState): Promise<NamedArray[]>;
}

/**
 * Trains runs together, step by step, each with its own bookkeeping (`RunState`): restore or
 * start hooks, sample, step, read the losses when something needs them, record, call hooks,
 * checkpoint, finish. A run that diverges, completes or is stopped leaves; the others go on.
 */
export async function runLoop(specs: readonly RunSpec[], parts: LoopParts, check: (runs: readonly RunState[]) => void = () => {}): Promise<TrainResult[]> {
  const runs = specs.map((spec) => new RunState(spec));
  check(runs);

  // 0. Continue from a checkpoint, or start: hooks that measure the initialization run here.
  for (const r of runs) {
    const resume = r.run.callbacks?.resume;
    if (resume !== undefined) r.restore(resume);
    else for (const hook of r.hooks) if (hook.schedule.atStart === true) await r.runHook(hook, 0, 0);
  }
  // A run whose loop had already ended (or that has no steps) only finishes.
  let active = runs.filter((r) => !r.finished);
  for (const r of runs) if (r.finished) await r.finish(() => parts.idleSlots(r));
  if (active.length === 0) return runs.map((r) => r.result());

  const stepper = await parts.stepper(active);
  // Losses of the steps taken since the last read, one tensor per step.
  const pending: Tensor[] = [];
  try {
    while (active.length > 0) {
      // Let signal handlers and UI events run: on cpu and wasm every await below settles as a
      // microtask, so without this a Ctrl-C would wait for the next file write.
      await yieldToEventLoop();
      const fresh = new Set<number>();
      const writeBack = (j: number) => {
        if (fresh.has(j)) return;
        stepper.writeBack(j);
        fresh.add(j);
      };
      const leaving = new Set<number>();

      // Runs whose signal fired stop here, with a checkpoint to resume from (after the losses
      // they have not read: one may have diverged before the signal came).
      if (active.some((r) => r.run.callbacks?.signal?.aborted === true)) {
        await read(leaving, writeBack);
        for (const [j, r] of active.entries()) {
          if (leaving.has(j) || r.run.callbacks?.signal?.aborted !== true) continue;
          r.aborted = true;
          writeBack(j);
          await r.checkpoint(() => stepper.saveSlots(j), false);
          leaving.add(j);
        }
        await leave(leaving);
        continue;
      }

      // 1–2. Each run's minibatch and learning rate, and one optimizer step for all.
      const draws = active.map((r) => r.draw());
      pending.push(stepper.step(active, draws));
      if (!active.some((r, j) => r.needsRead(draws[j]!))) continue;

      // 3. The losses, read once for every step since the last read.
      await read(leaving, writeBack);

      // 4–6. Records, hooks and checkpoints of the runs still in bounds.
      for (const [j, r] of active.entries()) {
        if (leaving.has(j)) continue;
        await r.record(draws[j]!, () => writeBack(j));
        if (r.checkpointDue(r.stepsDone)) {
          writeBack(j);
          await r.checkpoint(() => stepper.saveSlots(j), false);
        }
        if (r.stepsDone >= r.steps) {
          writeBack(j);
          leaving.add(j);
        }
      }
      await leave(leaving);
    }
  } finally {
    for (const t of pending.splice(0)) t.dispose();
    stepper.dispose();
  }
  return runs.map((r) => r.result());

  /** Reads every pending loss in one transfer and settles each run; a run that diverged is marked to leave. */
  async function read(leaving: Set<number>, writeBack: (j: number) => void): Promise<void> {
    if (pending.length === 0) return;
    const all = pending.length === 1 ? pending[0]! : tf.stack(pending);
    const values = await all.data();
    if (all !== pending[0]) all.dispose();
    for (const t of pending.splice(0)) t.dispose();
    const width = active.length;
    for (const [j, r] of active.entries()) {
      if (await r.settle(values, (i) => i * width + j)) {
        writeBack(j);
        leaving.add(j);
      }
    }
  }

  async function leave(leaving: ReadonlySet<number>): Promise<void> {
    if (leaving.size === 0) return;
    for (const j of leaving) await active[j]!.finish(() => stepper.saveSlots(j));
    const keep = active.map((_, j) => j).filter((j) => !leaving.has(j));
    active = keep.map((j) => active[j]!);
    if (active.length > 0) stepper.keep(keep);
  }
}
