import { DEFAULT_REPLICAS, MAX_AUTO_REPLICAS, type ReplicasOption } from '@overparam/experiments';
import { UsageError } from './errors';

/** `--replicas auto|N|1` of `sweep` and `reproduce`: cells that differ only in shape-free values train as one batched model. */
export const REPLICAS_FLAG = '--replicas <n>';
export const REPLICAS_HELP = `cells trained together as one batched model when their configs differ only in seed, learning rate, schedule or optimizer numbers: auto (up to ${MAX_AUTO_REPLICAS}, spread over --jobs), N (at most N), 1 (each alone); each cell still writes its own run directory`;
export const REPLICAS_DEFAULT = String(DEFAULT_REPLICAS);

export function parseReplicasFlag(value: unknown): ReplicasOption {
  if (value === undefined) return DEFAULT_REPLICAS;
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--replicas', `expected 'auto' or an integer ≥ 1, got '${String(value)}'`);
  return n;
}
