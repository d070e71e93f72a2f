import { ConfigError, OverparamError } from '@overparam/core';
import { z } from 'zod';
import { parseRunConfig, type RunConfig } from '../config/config';
import { setAtPath } from '../config/dotted-path';
import { lrSearchGrid, lrSearchRuns, lrSearchSchema, type LrSearch } from './lr-search';

/**
 * A sweep: a base run config (exactly the form of a run's config.json), a grid over any of its
 * keys by dotted path, and seeds. Every combination of grid values and seed is a cell; each cell
 * is a run whose id is a hash of its resolved config, so renaming or reordering the sweep file
 * keeps finished runs, and changing anything a run depends on makes it a new run.
 */
export const sweepSchema = z.strictObject({
  /** Names the sweep in progress lines and job names: letters, digits, `.`, `_`, `-`. */
  name: z.string().regex(/^[\w.-]+$/, 'use letters, digits, ".", "_" and "-" only'),
  /** A run config (what `overparam train --config` takes); every cell starts from it. */
  base: z.record(z.string(), z.unknown()),
  /** Dotted config path → the values it takes, e.g. { "archOptions.depth": [1, 2], "lr": [0.1, 0.01] }. */
  grid: z.record(z.string(), z.array(z.unknown()).min(1)).default({}),
  /** Each grid point runs once per seed (the run config's `seed`). */
  seeds: z.array(z.number().int()).min(1).default([0]),
  /** Choose the learning rate per grid point by one of the papers' rules (adds `lr` to the grid). */
  lrSearch: lrSearchSchema.optional(),
});
export type SweepSpec = z.output<typeof sweepSchema>;

export interface SweepCell {
  readonly id: string;
  /** The grid values of this cell, by dotted path (lr included when searched), and its seed. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly config: RunConfig;
}

/** A short, stable hash of a text (two 32-bit FNV-1a passes): cell ids. */
export function stableHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    b ^= b >>> 13;
  }
  return a.toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0').slice(0, 4);
}

/** JSON with object keys sorted, so equal configs hash equally whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function parseSweep(input: unknown): SweepSpec {
  const result = sweepSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    const detail = issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')}: not a known field (sweep files have name, base, grid, seeds, lrSearch)` : issue.message;
    throw new OverparamError('SWEEP_INVALID', `sweep${path === '' ? '' : ` ${path}`}: ${detail}`);
  }
  return result.data;
}

/**
 * The most cells one sweep expands. Each cell's config is validated and hashed up front (about
 * 0.4 ms a cell on a laptop core, so this bound costs seconds); paper-scale presets stay in the
 * hundreds, and a cluster campaign larger than this is several sweeps anyway.
 */
export const MAX_SWEEP_CELLS = 10_000;

/** Every cell of a sweep, in a fixed order (grid keys as written, values as listed, then seeds); each config validated. */
export function sweepCells(spec: SweepSpec): SweepCell[] {
  const axes: Array<[string, readonly unknown[]]> = Object.entries(spec.grid);
  if (spec.lrSearch !== undefined) {
    if ('lr' in spec.grid) throw new OverparamError('SWEEP_INVALID', "sweep grid.lr: the learning rate is searched (lrSearch); leave 'lr' out of the grid");
    axes.push(['lr', lrSearchGrid(spec.lrSearch)]);
  }
  // An LR search runs the rule's number of seeds per rate, counting up from the first seed given.
  const seeds = spec.lrSearch !== undefined ? Array.from({ length: lrSearchRuns(spec.lrSearch) }, (_, i) => spec.seeds[0]! + i) : spec.seeds;
  // Counted before anything is expanded: a 10⁶-cell grid took 6 silent minutes and 3 GB to refuse nothing.
  const count = axes.reduce((n, [, values]) => n * values.length, seeds.length);
  if (count > MAX_SWEEP_CELLS) {
    const shape = [...axes.map(([key, values]) => `${values.length} ${key}`), `${seeds.length} seeds`].join(' × ');
    throw new OverparamError('SWEEP_INVALID', `sweep: ${count.toLocaleString('en-US')} cells (${shape}) is more than the ${MAX_SWEEP_CELLS.toLocaleString('en-US')} one sweep runs; shrink the grid or split it into several sweeps`);
  }
  let points: Array<Record<string, unknown>> = [{}];
  for (const [key, values] of axes) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  const cells: SweepCell[] = [];
  const seen = new Map<string, string>();
  for (const point of points) {
    for (const seed of seeds) {
      let input: Record<string, unknown> = { ...spec.base };
      const described = `${Object.entries(point).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}${Object.keys(point).length > 0 ? ', ' : ''}seed=${seed}`;
      let config: RunConfig;
      try {
        for (const [key, value] of Object.entries(point)) input = setAtPath(input, key, value);
        config = parseRunConfig({ ...input, seed });
      } catch (e) {
        if (e instanceof ConfigError) throw new OverparamError('SWEEP_INVALID', `sweep cell (${described}): ${e.message}`);
        throw e;
      }
      const id = stableHash(canonicalJson(config));
      const twin = seen.get(id);
      if (twin !== undefined) throw new OverparamError('SWEEP_INVALID', `sweep cells (${twin}) and (${described}) are the same run; a grid key has no effect or a value repeats`);
      seen.set(id, described);
      cells.push({ id, overrides: point, seed, config });
    }
  }
  return cells;
}

export type { LrSearch };
