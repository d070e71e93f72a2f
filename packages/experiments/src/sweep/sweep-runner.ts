import { BACKEND_SETTINGS, lossLabel, lossSpec, OverparamError } from '@overparam/core';
import type { ChildProcess } from 'node:child_process';
import { failedSummary } from '../store/summary';
import { errorReply, SweepWorker, type FromWorker } from './sweep-worker';
import { join } from 'node:path';
import { pickLearningRate, type LrPick } from './lr-search';
import { run } from '../run/run';
import { DEFAULT_REPLICAS, planReplicaGroups, runGroup, type ReplicasOption } from '../run/replica-group';
import { inShard, type Shard } from './shard';
import { directoryStore } from '../store/directory';
import { lockDirectory } from '../store/lock';
import type { RunStatus, RunStore } from '../store/types';
import { canonicalJson, parseSweep, sweepCells, type SweepCell, type SweepSpec } from './sweep';
import { SWEEP_FILES } from './sweep-manifest';
import { gridPointOf } from '../results/picked-rates';
import { claimSweepDirectory, readSweepDirectory, writeLrPicks } from './sweep-files';

export interface SweepProgress {
  readonly total: number;
  /** Cells that have ended (completed, diverged or failed), this time or before. */
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly diverged: number;
  /** Seconds left at the pace of the cells run so far; null before the first. */
  readonly etaSeconds: number | null;
  /** The cell that just ended, and how. */
  readonly cell?: { readonly id: string; readonly status: RunStatus; readonly overrides: SweepCell['overrides']; readonly seed: number };
}

export interface SweepOptions {
  readonly outDir: string;
  /** Cells run at once, in that many worker processes (`spawnWorker`); 1 runs them here, one by one. */
  readonly jobs?: number;
  readonly shard?: Shard;
  /** Run failed cells again; without it they stay failed and are reported. */
  readonly retryFailed?: boolean;
  /** Stops: no new cells; running ones stop after their current step, with a checkpoint. */
  readonly signal?: AbortSignal;
  /**
   * Starts a worker process for the sweep directory (the CLI forks `overparam sweep worker DIR`),
   * with an IPC channel speaking sweep-worker.ts's messages, adding `env` to its environment.
   * Needed for jobs > 1.
   */
  readonly spawnWorker?: (sweepDir: string) => ChildProcess;
  readonly onProgress?: (progress: SweepProgress) => void;
  /** Cells trained together as one batched model (replica groups, see replica-group.ts). Default `auto`; 1: each alone. */
  readonly replicas?: ReplicasOption;
}

export interface SweepReport {
  readonly name: string;
  readonly outDir: string;
  readonly shard: Shard | null;
  /** Cells of this shard (of the whole sweep without one). */
  readonly cells: number;
  /** How many cells ended in each way, and how many this call ran (the rest had ended before). */
  readonly outcomes: Readonly<Record<RunStatus, number>>;
  readonly ran: number;
  readonly failedCells: ReadonlyArray<{ readonly id: string; readonly error: string | null }>;
  /**
   * Cells this call tried that ended neither finished nor failed, and why: another process
   * holds the cell (RUN_LOCKED), or its files could not be written (a full disk). They resume
   * on the next call; without this list they would only count as "unfinished".
   */
  readonly unfinishedCells: ReadonlyArray<{ readonly id: string; readonly error: string }>;
  readonly lrPicks?: readonly LrPick[];
}

export function sweepStore(outDir: string): RunStore {
  return directoryStore(join(outDir, SWEEP_FILES.runs));
}

/**
 * Runs one cell of a sweep directory here (what a worker process does), or several as one replica
 * group. A backend this worker loaded for other work with other settings (oneDNN on node) is
 * refused with BACKEND_SETTINGS: the sweep then gives the cell a fresh worker.
 */
export async function runSweepCell(outDir: string, cellIds: string | readonly string[], signal?: AbortSignal): Promise<RunStatus> {
  const { cells } = await readSweepDirectory(outDir);
  const group = (typeof cellIds === 'string' ? [cellIds] : cellIds).map((id) => {
    const cell = cells.find((c) => c.id === id);
    if (cell === undefined) throw new OverparamError('SWEEP_INVALID', `${outDir} has no cell '${id}'`);
    return cell;
  });
  if (group.length === 1) {
    const result = await run(group[0]!.config, { store: sweepStore(outDir), id: group[0]!.id, resume: 'if-unfinished', signal, sameSettings: true });
    return result.summary.outcome;
  }
  const settled = await runGroup(group, { store: sweepStore(outDir), resume: 'if-unfinished', signal, sameSettings: true });
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return (settled[0] as PromiseFulfilledResult<{ summary: { outcome: RunStatus } }>).value.summary.outcome;
}

const ENDED: readonly RunStatus[] = ['completed', 'diverged', 'failed'];

/** One of `jobs` lanes: cells run here (jobs = 1) or in its worker process. */
interface Lane {
  worker: SweepWorker | undefined;
}

/**
 * Runs a sweep (or one shard of it) into `outDir`. Finished cells are skipped; cells that were
 * killed or stopped resume from their checkpoints; failed cells are reported, and run again
 * only with `retryFailed`. A failed or diverged cell never stops the others.
 */
export async function runSweep(input: unknown, options: SweepOptions): Promise<SweepReport> {
  const spec = parseSweep(input);
  const allCells = sweepCells(spec);
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(jobs) || jobs < 1) throw new OverparamError('SWEEP_INVALID', `--jobs: expected an integer ≥ 1, got ${jobs}`);
  if (jobs > 1 && options.spawnWorker === undefined) throw new OverparamError('SWEEP_INVALID', 'running cells in parallel needs a way to start worker processes (spawnWorker)');
  // One sweep process per directory. Its workers do not take this lock: each locks the cell it runs.
  const lock = await lockDirectory(options.outDir);
  try {
    await claimSweepDirectory(options.outDir, spec, allCells, { verb: 'run', fix: "choose another --out, or run that sweep's file" });
    return await runLockedSweep(spec, allCells, jobs, options);
  } finally {
    await lock.release();
  }
}

async function runLockedSweep(spec: SweepSpec, allCells: readonly SweepCell[], jobs: number, options: SweepOptions): Promise<SweepReport> {
  const store = sweepStore(options.outDir);
  // Replica groups are planned over every cell of the sweep and a shard takes whole groups, so a
  // cell trains beside the same cells alone, in any shard and after a resume (on node a replica's
  // place in its group can move its last digits).
  const plannedGroups = inShard(await planReplicaGroups(allCells, (c) => c.config, options.replicas ?? DEFAULT_REPLICAS, jobs), options.shard);
  const cells = plannedGroups.flat();

  const outcomes: Record<RunStatus, number> = { absent: 0, running: 0, completed: 0, diverged: 0, aborted: 0, failed: 0 };
  const pending = new Set<SweepCell>();
  for (const cell of cells) {
    const status = await store.status(cell.id);
    if (ENDED.includes(status) && !(status === 'failed' && options.retryFailed === true)) outcomes[status]++;
    else pending.add(cell);
  }

  let ran = 0;
  let running = 0;
  const unfinishedCells: Array<{ id: string; error: string }> = [];
  const started = Date.now();
  const report = (cell?: SweepProgress['cell']) => {
    const done = outcomes.completed + outcomes.diverged + outcomes.failed;
    const remaining = cells.length - done;
    const perCell = ran > 0 ? (Date.now() - started) / 1000 / ran : null;
    options.onProgress?.({ total: cells.length, done, running, failed: outcomes.failed, diverged: outcomes.diverged, etaSeconds: perCell === null ? null : (perCell * remaining) / jobs, cell });
  };
  report();

  const spawn = () => new SweepWorker(options.spawnWorker!(options.outDir));

  // One cell, or a replica group of cells trained as one model.
  const runCells = async (group: readonly SweepCell[], lane: Lane): Promise<void> => {
    running += group.length;
    const errors = new Map<string, FromWorker>();
    try {
      if (lane.worker === undefined) {
        // A failure is recorded in the run's summary (or below, if it never started); the sweep goes on.
        if (group.length === 1) {
          await run(group[0]!.config, { store, id: group[0]!.id, resume: 'if-unfinished', signal: options.signal }).catch((e: unknown) => errors.set(group[0]!.id, errorReply(group[0]!.id, e)));
        } else {
          const settled = await runGroup(group, { store, resume: 'if-unfinished', signal: options.signal });
          settled.forEach((s, i) => s.status === 'rejected' && errors.set(group[i]!.id, errorReply(group[i]!.id, s.reason)));
        }
      } else {
        // A worker that died (out of memory, killed) is replaced for the next cell.
        if (!lane.worker.alive) lane.worker = spawn();
        const ids = group.length === 1 ? group[0]!.id : group.map((c) => c.id);
        let reply = await lane.worker.run(ids);
        if (reply.code === BACKEND_SETTINGS && options.signal?.aborted !== true) {
          // The worker's backend was loaded for other work (oneDNN on for a group, off for a small solo net): a fresh worker loads it for this one.
          await lane.worker.stop();
          lane.worker = spawn();
          reply = await lane.worker.run(ids);
        }
        if (reply.error !== undefined) for (const cell of group) errors.set(cell.id, reply);
      }
    } finally {
      running -= group.length;
    }
    for (const cell of group) {
      let status = await store.status(cell.id);
      const error = errors.get(cell.id);
      if (error?.code === 'RUN_LOCKED') {
        // Another process writes this cell: never touch its directory; it is reported, and resumes next time.
        status = 'running';
        unfinishedCells.push({ id: cell.id, error: error.error! });
      } else if (status === 'absent' && options.signal?.aborted !== true) {
        // Kept as a failed run, so a rerun reports it instead of silently trying again.
        status = 'failed';
        await recordUnstarted(store, cell, `did not start: ${error?.error ?? 'no reason given'}`);
      } else if (!ENDED.includes(status) && error !== undefined) {
        // Its files could not be written (a full disk): it did not end, and says why.
        unfinishedCells.push({ id: cell.id, error: error.error! });
      }
      outcomes[status]++;
      ran++;
      report({ id: cell.id, status, overrides: cell.overrides, seed: cell.seed });
    }
  };

  // A pool of `jobs` lanes pulling cells (or replica groups of them) in sweep order; with jobs > 1 each lane has its own worker process.
  // A group whose members partly ended (a kill between their summaries) trains the rest, in the same order.
  const groups = plannedGroups.map((g) => g.filter((c) => pending.has(c))).filter((g) => g.length > 0);
  let next = 0;
  const lanes: Lane[] = Array.from({ length: Math.min(jobs, groups.length) }, () => ({ worker: jobs > 1 ? spawn() : undefined }));
  const interrupt = () => lanes.forEach((l) => l.worker?.interrupt());
  options.signal?.addEventListener('abort', interrupt, { once: true });
  try {
    await Promise.all(
      lanes.map(async (lane) => {
        while (next < groups.length && options.signal?.aborted !== true) await runCells(groups[next++]!, lane);
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', interrupt);
    await Promise.all(lanes.map((l) => l.worker?.stop()));
  }

  const failedCells = [];
  for (const cell of cells) {
    if ((await store.status(cell.id)) === 'failed') failedCells.push({ id: cell.id, error: (await store.readSummary(cell.id))?.error?.message ?? null });
  }
  const lrPicks = spec.lrSearch !== undefined && options.shard === undefined ? await pickRates(options.outDir, spec, allCells) : undefined;
  return { name: spec.name, outDir: options.outDir, shard: options.shard ?? null, cells: cells.length, outcomes, ran, failedCells, unfinishedCells, ...(lrPicks ? { lrPicks } : {}) };
}

/**
 * A cell that failed before its run could start (a data file missing, a batch larger than the
 * data set): a run directory with its config and a `failed` summary saying why.
 */
async function recordUnstarted(store: RunStore, cell: SweepCell, message: string): Promise<void> {
  await store.create(cell.id, cell.config, { backend: 'none', backendSkipped: [], model: { name: 'not built', paramCount: 0, options: {} }, attempts: [] });
  await store.writeSummary(
    cell.id,
    failedSummary({
      steps: 0,
      requestedSteps: cell.config.steps,
      epochs: 0,
      loss: lossLabel(lossSpec(cell.config.loss, cell.config.p)),
      paramCount: 0,
      modelName: 'not built',
      backend: 'none',
      seconds: 0,
      trainSeconds: 0,
      error: { code: null, message },
    }),
  );
}

/**
 * The learning rate each grid point's rule picks, once every cell has ended; written to
 * lr-search.json. Undefined while cells are missing.
 */
export async function pickRates(outDir: string, spec: SweepSpec, cells: readonly SweepCell[]): Promise<LrPick[] | undefined> {
  if (spec.lrSearch === undefined) return undefined;
  const store = sweepStore(outDir);
  const groups = new Map<string, { point: Record<string, unknown>; cells: SweepCell[] }>();
  for (const cell of cells) {
    const point = gridPointOf(cell.overrides);
    const key = canonicalJson(point);
    const group = groups.get(key) ?? { point, cells: [] };
    group.cells.push(cell);
    groups.set(key, group);
  }
  const picks: LrPick[] = [];
  for (const group of groups.values()) {
    const results = [];
    for (const cell of group.cells) {
      const status = await store.status(cell.id);
      if (!ENDED.includes(status)) return undefined;
      results.push({ lr: cell.overrides.lr as number, summary: await store.readSummary(cell.id), records: spec.lrSearch.rule === 'arora-c1' ? await store.readRecords(cell.id) : [] });
    }
    picks.push(pickLearningRate(spec.lrSearch, group.point, results));
  }
  await writeLrPicks(outDir, picks);
  return picks;
}
