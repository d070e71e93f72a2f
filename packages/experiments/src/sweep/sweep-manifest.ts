import { OverparamError } from '@overparam/core';
import type { LrPick } from './lr-search';

/**
 * The files a sweep directory holds besides its runs, as data: `sweep.json` (the sweep as given
 * and its cells) and `lr-search.json` (the rate picked per grid point). Their checks are here,
 * browser-safe, beside the names; sweep-files.ts reads and writes them on disk.
 */
export const SWEEP_FILES = { spec: 'sweep.json', runs: 'runs', lrSearch: 'lr-search.json' } as const;

/** One cell as sweep.json records it: the run `id` under `runs/`, the grid values it sets, its seed. */
export interface SweepManifestCell {
  readonly id: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly seed: number;
}

/** sweep.json: the sweep's spec as given, with its cells. Only the cells are needed to read one back. */
export interface SweepManifest {
  readonly name: string;
  readonly base?: unknown;
  readonly grid?: Readonly<Record<string, readonly unknown[]>>;
  readonly seeds?: readonly number[];
  readonly cells: readonly SweepManifestCell[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Checks parsed sweep.json; `path` names the file in the error. */
export function checkSweepManifest(value: unknown, path: string): SweepManifest {
  const cells = isObject(value) ? value['cells'] : undefined;
  const ok = Array.isArray(cells) && cells.every((c) => isObject(c) && typeof c['id'] === 'string');
  if (!ok) throw new OverparamError('RUN_IO', `${path} has no list of cells with ids; is it a sweep.json written by overparam sweep?`);
  return value as unknown as SweepManifest;
}

/**
 * lr-search.json as a reader takes it: per grid point, the rate picked (null when no rate was
 * eligible), why, and whether it lies on the edge of the grid. The rule stays a string so a file
 * from a newer version with a rule this one does not know is still shown.
 */
export type LrPickView = Pick<LrPick, 'point' | 'lr' | 'reason' | 'onEdge'> & { readonly rule: string };

/** What is wrong with one entry of lr-search.json, or undefined when it has what a reader needs. */
function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return 'is not an object';
  if (!isObject(entry['point'])) return 'has no `point` object (the grid values without lr)';
  if (typeof entry['rule'] !== 'string') return 'has no `rule` name';
  const lr = entry['lr'];
  if (lr !== null && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) return `has lr ${JSON.stringify(lr)}; expected a positive number, or null when no rate was eligible`;
  if (typeof entry['reason'] !== 'string') return 'has no `reason` text';
  if (typeof entry['onEdge'] !== 'boolean') return 'has no boolean `onEdge`';
  if (!Array.isArray(entry['candidates'])) return 'has no `candidates` list';
  return undefined;
}

/** Checks parsed lr-search.json; `path` names the file in the error. */
export function checkLrPicks(value: unknown, path: string): LrPickView[] {
  if (!Array.isArray(value)) throw new OverparamError('RUN_IO', `${path} is not a list of learning-rate picks; is it an lr-search.json written by overparam sweep?`);
  return value.map((entry: unknown, i) => {
    const problem = entryProblem(entry);
    if (problem !== undefined) throw new OverparamError('RUN_IO', `${path}: entry ${i} ${problem}; is it an lr-search.json written by overparam sweep?`);
    const e = entry as Record<string, unknown>;
    return { point: e['point'] as Record<string, unknown>, rule: e['rule'] as string, lr: e['lr'] as number | null, reason: e['reason'] as string, onEdge: e['onEdge'] as boolean };
  });
}
