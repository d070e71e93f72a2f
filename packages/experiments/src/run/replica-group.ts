import { plannedBackendTraits, trainReplicas, type BackendTraits, type Dataset, type Model, type TrainCallbacks, type TrainConfig, type TrainProgress, type TrainResult } from '@overparam/core';
import type { RunConfig } from '../config/config';
import { run, type ResumeMode, type RunResult, type Trainer } from './run';
import type { RunStore } from '../store/types';
import { canonicalJson } from '../sweep/sweep';

/**
 * Replica groups at the level of runs: which runs may train as one batched model, and running
 * such a group so that each member is an ordinary run (its own directory, config, records,
 * summary and checkpoint; resumable alone or in a group).
 */

/** How a sweep groups its cells: `auto` as many as fit (see `formReplicaGroups`), a number at most that many, 1 every run alone. */
export type ReplicasOption = 'auto' | number;

/**
 * Sweeps run each cell alone unless asked (`--replicas auto|N`). On cpu a replica equals its solo
 * run to the bit, but the batched kernels of wasm and node sum in another order (and node turns
 * oneDNN on for a group), so there a cell's last digits depend on which group it ran in, and so
 * on `--replicas` (and with `auto`, on `--jobs`). Solo by default keeps "same config, same
 * numbers" everywhere. A preset may choose otherwise (`Preset.replicas`): where its criteria are
 * shown to print the same either way, or where its budget needs groups. Within one grouping the
 * numbers repeat: a sweep plans its groups over all its cells (a resume or a Slurm shard keeps
 * them), and a group trains its members in member order.
 */
export const DEFAULT_REPLICAS: ReplicasOption = 1;

/** How a preset's sweeps group their cells: the caller's `--replicas`, else the preset's own choice, else DEFAULT_REPLICAS. */
export function presetReplicas(preset: { readonly replicas?: ReplicasOption }, asked?: ReplicasOption): ReplicasOption {
  return asked ?? preset.replicas ?? DEFAULT_REPLICAS;
}

/** The most replicas `auto` puts in one group: past it the batched kernels gain little and a group's step latency grows. */
export const MAX_AUTO_REPLICAS = 32;

/** Values that change no tensor shape and no op of a step, only numbers: replicas of one group may differ in them. */
const SHAPE_FREE_KEYS = ['seed', 'dataSeed', 'lr', 'schedule', 'steps', 'logEvery', 'divergenceFactor', 'checkpointEverySteps', 'checkpointEverySeconds', 'metrics'] as const;
/** Architecture options that only scale or redraw the initial weights. */
const SHAPE_FREE_ARCH_OPTIONS = ['init', 'initStd', 'kappa', 'scale'] as const;
/** Optimizer fields that are numbers of the same update rule (nesterov changes the rule, so it stays in the key). */
const SHAPE_FREE_OPTIMIZER_FIELDS = ['momentum', 'weightDecay', 'beta1', 'beta2', 'epsilon', 'initialAccumulatorValue', 'rho', 'virtualDepth'] as const;

/** Runs with equal keys can train as one replica group. */
export function replicaGroupKey(config: RunConfig): string {
  const rest: Record<string, unknown> = { ...config };
  for (const key of SHAPE_FREE_KEYS) delete rest[key];
  const archOptions: Record<string, unknown> = { ...config.archOptions };
  for (const key of SHAPE_FREE_ARCH_OPTIONS) delete archOptions[key];
  const optimizer: Record<string, unknown> = { ...config.optimizer };
  for (const key of SHAPE_FREE_OPTIMIZER_FIELDS) delete optimizer[key];
  return canonicalJson({ ...rest, archOptions, optimizer });
}

/** How a backend takes a replica group's steps (`BackendTraits.replicaSteps`). */
export type ReplicaSteps = BackendTraits['replicaSteps'];

/**
 * Splits items into replica groups, in their order: items with equal keys join a group of at
 * most `replicas` (with `auto`, at most MAX_AUTO_REPLICAS, and spread over `lanes` so that every
 * lane of `--jobs` has a group to train). Items whose backend steps a group's members one after
 * another (`stepsOf` says `sequential`) stay alone: grouping them gains nothing, and their run.json
 * would record a group that never trained as one.
 */
export function formReplicaGroups<T>(items: readonly T[], configOf: (item: T) => RunConfig, replicas: ReplicasOption, stepsOf: (config: RunConfig) => ReplicaSteps, lanes = 1): T[][] {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const config = configOf(item);
    const key = replicas === 1 || stepsOf(config) === 'sequential' ? String(byKey.size) : replicaGroupKey(config);
    const list = byKey.get(key) ?? [];
    list.push(item);
    byKey.set(key, list);
  }
  const groups: T[][] = [];
  for (const list of byKey.values()) {
    const cap = replicas === 'auto' ? Math.min(MAX_AUTO_REPLICAS, Math.ceil(list.length / Math.max(1, lanes))) : replicas;
    for (let i = 0; i < list.length; i += cap) groups.push(list.slice(i, i + cap));
  }
  return groups;
}

/** `formReplicaGroups`, asking each backend the items name how it steps a group (`plannedBackendTraits`, nothing loaded). */
export async function planReplicaGroups<T>(items: readonly T[], configOf: (item: T) => RunConfig, replicas: ReplicasOption, lanes = 1): Promise<T[][]> {
  const steps = new Map<string, ReplicaSteps>();
  for (const item of items) {
    const { backend } = configOf(item);
    if (!steps.has(backend)) steps.set(backend, (await plannedBackendTraits(backend)).replicaSteps);
  }
  return formReplicaGroups(items, configOf, replicas, (config) => steps.get(config.backend)!, lanes);
}

interface Arrival {
  readonly args: { model: Model; data: Dataset; config: TrainConfig; callbacks: TrainCallbacks };
  readonly resolve: (result: TrainResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Meets the members' `train` calls: each member's `run()` prepares and opens its own run
 * directory, then calls its trainer here; once every member has either arrived or finished
 * without training (it had ended, or failed before its first step), the arrivals train together.
 */
export class Rendezvous {
  private readonly arrivals = new Map<number, Arrival>();
  private readonly left = new Set<number>();
  /** `train` is core's `trainReplicas`; a test may watch what it is given. */
  constructor(
    private readonly size: number,
    private readonly train: typeof trainReplicas = trainReplicas,
  ) {}

  trainer(member: number): Trainer {
    return (model, data, config, callbacks = {}) =>
      new Promise<TrainResult>((resolve, reject) => {
        this.arrivals.set(member, { args: { model, data, config, callbacks }, resolve, reject });
        this.maybeStart();
      });
  }

  leave(member: number): void {
    if (this.arrivals.has(member)) return;
    this.left.add(member);
    this.maybeStart();
  }

  private maybeStart(): void {
    if (this.arrivals.size + this.left.size !== this.size) return;
    // In member order, not arrival order: members arrive as their run directories open, in whatever
    // order the file system answers, and a replica's place in the batched kernels can move its last digits.
    const members = [...this.arrivals.entries()].sort(([a], [b]) => a - b).map(([, arrival]) => arrival);
    this.train(members.map((m) => m.args)).then(
      (results) => members.forEach((m, i) => m.resolve(results[i]!)),
      (error: unknown) => members.forEach((m) => m.reject(error)),
    );
  }
}

export interface GroupMember {
  readonly id: string;
  readonly config: unknown;
}

export interface GroupOptions {
  readonly store: RunStore;
  readonly resume?: ResumeMode;
  readonly signal?: AbortSignal;
  /** Each member's progress, by its position in `members`. */
  readonly onProgress?: (member: number, progress: TrainProgress) => void;
  /** See `RunOptions.sameSettings`. */
  readonly sameSettings?: boolean;
}

/**
 * Runs `members` as one replica group. Each is an ordinary `run()` (checks, directory, resume,
 * evaluation, summary), except that the steps of all of them are taken together. Settles like
 * `Promise.allSettled`: one member's failure (before or while training) is its own.
 */
export async function runGroup(members: readonly GroupMember[], options: GroupOptions): Promise<Array<PromiseSettledResult<RunResult>>> {
  const meeting = new Rendezvous(members.length);
  return Promise.allSettled(
    members.map((m, i) =>
      run(m.config, { store: options.store, id: m.id, resume: options.resume, signal: options.signal, sameSettings: options.sameSettings, trainer: meeting.trainer(i), replicas: members.length, onProgress: (p) => options.onProgress?.(i, p) }).finally(() => meeting.leave(i)),
    ),
  );
}
