import { ConfigError } from '@overparam/core';

/**
 * How the quantities a Gram compares map onto rows of network passes. A "member" is one row
 * whose output gradients the fast path collects:
 * - per-example loss: member i is example i;
 * - groups: the members are the groups' examples, group by group, each weighted 1/|group| so that
 *   summing a group's members gives its mean-loss gradient;
 * - NTK trace: member i is example i, run once per output (replicas), the Gram summing them;
 * - NTK full: member i·k + c is example i differentiated through output c.
 */
export interface GramLayout {
  /** Batch row of each member. */
  readonly rows: Int32Array;
  /** Weight of each member's loss; absent means 1. */
  readonly weights?: Float32Array;
  /** Output each member differentiates (full NTK). */
  readonly outputOf?: Int32Array;
  /** Copies of each member, one per output (NTK trace); 1 otherwise. */
  readonly replicas: number;
  /** Runs of members [start, end) that must be one batch (groups with batch-norm in training mode). */
  readonly coupled: ReadonlyArray<readonly [number, number]>;
  /** For groups: first member of each group, plus the end; the result sums these blocks. */
  readonly groupStarts?: Int32Array;
  /** Side of the result. */
  readonly size: number;
}

export function checkGroups(groups: ReadonlyArray<ArrayLike<number>>, n: number): void {
  if (groups.length === 0) throw new ConfigError('groups', 'must hold at least one group');
  groups.forEach((g, a) => {
    if (g.length === 0) throw new ConfigError(`groups[${a}]`, 'is empty; every group needs at least one example');
    for (let i = 0; i < g.length; i++) {
      const r = g[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= n) throw new ConfigError(`groups[${a}]`, `row ${r} is not an index into the batch of ${n} examples`);
    }
  });
}

export function exampleLayout(n: number): GramLayout {
  return { rows: Int32Array.from({ length: n }, (_, i) => i), replicas: 1, coupled: [], size: n };
}

export function groupLayout(groups: ReadonlyArray<ArrayLike<number>>, coupled: boolean): GramLayout {
  const total = groups.reduce((s, g) => s + g.length, 0);
  const rows = new Int32Array(total);
  const weights = new Float32Array(total);
  const groupStarts = new Int32Array(groups.length + 1);
  const runs: Array<[number, number]> = [];
  let at = 0;
  groups.forEach((g, a) => {
    groupStarts[a] = at;
    for (let i = 0; i < g.length; i++) {
      rows[at + i] = g[i]!;
      weights[at + i] = 1 / g.length;
    }
    if (coupled) runs.push([at, at + g.length]);
    at += g.length;
  });
  groupStarts[groups.length] = at;
  return { rows, weights, replicas: 1, coupled: runs, groupStarts, size: groups.length };
}

export function outputLayout(n: number, k: number, mode: 'trace' | 'full'): GramLayout {
  if (mode === 'trace') return { rows: Int32Array.from({ length: n }, (_, i) => i), replicas: k, coupled: [], size: n };
  const rows = new Int32Array(n * k);
  const outputOf = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      rows[i * k + c] = i;
      outputOf[i * k + c] = c;
    }
  }
  return { rows, outputOf, replicas: 1, coupled: [], size: n * k };
}

/** Member runs for passes: coupled runs whole, the rest cut into pieces of at most `maxRows`. */
export function chunkRuns(layout: GramLayout, maxRows: number): Array<[number, number]> {
  if (layout.coupled.length > 0) return layout.coupled.map(([a, b]) => [a, b]);
  const out: Array<[number, number]> = [];
  const m = layout.rows.length;
  const step = Math.max(1, Math.floor(maxRows));
  for (let a = 0; a < m; a += step) out.push([a, Math.min(m, a + step)]);
  return out;
}

/** Sums member blocks into group blocks: R_ab = Σ_{m∈a, m'∈b} K_mm'. */
export function contractGroups(k: Float64Array, members: number, starts: Int32Array): Float64Array {
  const g = starts.length - 1;
  const out = new Float64Array(g * g);
  const groupOf = new Int32Array(members);
  for (let a = 0; a < g; a++) for (let m = starts[a]!; m < starts[a + 1]!; m++) groupOf[m] = a;
  for (let i = 0; i < members; i++) {
    const row = groupOf[i]! * g;
    const base = i * members;
    for (let j = 0; j < members; j++) out[row + groupOf[j]!] += k[base + j]!;
  }
  return out;
}
