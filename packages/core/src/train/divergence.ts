/**
 * When a run counts as diverged. A loss that is not finite has poisoned the parameters; a finite
 * loss far above the first minibatch's (1e20 where it began at 2.3) is racing off just as surely,
 * and calling such a run `completed` would hide it. The factor is relative so it suits any loss
 * scale; `null` switches the bound off (non-finite losses still end the run).
 */
export const DEFAULT_DIVERGENCE_FACTOR = 1e3;

export interface Divergence {
  /** The step whose loss diverged (0-based: that many steps had completed before it). */
  readonly step: number;
  /** The offending loss; null when not finite (JSON has no NaN or Infinity). */
  readonly loss: number | null;
  /** Why, in words: "non-finite loss (NaN)" or "loss 1.1e+20 exceeds 1000 × the initial loss 2.302". */
  readonly reason: string;
}

export function divergenceOf(loss: number, initialLoss: number, factor: number | null, step: number): Divergence | undefined {
  if (!Number.isFinite(loss)) return { step, loss: null, reason: `non-finite loss (${loss})` };
  if (factor !== null && Number.isFinite(initialLoss) && initialLoss > 0 && loss > factor * initialLoss) {
    return { step, loss, reason: `loss ${loss.toPrecision(4)} exceeds ${factor} × the initial loss ${initialLoss.toPrecision(4)}` };
  }
  return undefined;
}

/**
 * The record kind a diverged run writes in place of its end-of-run hooks (`hooks`: their names,
 * `reason`: the divergence), so a reader sees the measurement was skipped, not lost.
 */
export const END_HOOKS_SKIPPED = 'end-hooks-skipped';

