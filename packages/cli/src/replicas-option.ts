import { DEFAULT_REPLICAS, MAX_AUTO_REPLICAS, presets, type ReplicasOption } from '@overparam/experiments';
import { UsageError } from './errors';

/** `--replicas auto|N|1` of `sweep` and `reproduce`: cells that differ only in shape-free values train as one batched model. */
export const REPLICAS_FLAG = '--replicas <n>';
export const REPLICAS_HELP = `cells trained together as one batched model when their configs differ only in seed, learning rate, schedule or optimizer numbers: auto (up to ${MAX_AUTO_REPLICAS}, spread over --jobs), N (at most N), 1 (each alone); each cell still writes its own run directory`;
/** `sweep`'s default, shown by its help. */
export const REPLICAS_DEFAULT = String(DEFAULT_REPLICAS);

/** `reproduce`'s help: its default is each preset's own (`Preset.replicas`), listed from the presets that set one. */
export function presetReplicasHelp(): string {
  const chosen = presets.filter((p) => p.replicas !== undefined).map((p) => `${String(p.replicas)} for ${p.id}`);
  return `${REPLICAS_HELP} (default: the preset's own${chosen.length > 0 ? ` — ${chosen.join(', ')}` : ''}; ${String(DEFAULT_REPLICAS)} for the others)`;
}

/** The flag's value; undefined when not given (a sweep then runs DEFAULT_REPLICAS, a preset its own choice). */
export function parseReplicasFlag(value: unknown): ReplicasOption | undefined {
  if (value === undefined) return undefined;
  if (value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--replicas', `expected 'auto' or an integer ≥ 1, got '${String(value)}'`);
  return n;
}
