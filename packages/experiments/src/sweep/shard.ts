import { OverparamError } from '@overparam/core';

/**
 * Shard `index` of `count` (0-based) runs the replica groups whose position k in the sweep's plan
 * has k mod count = index; with `--replicas 1` (the default) each group is one cell, so the cells.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

function invalid(message: string): OverparamError {
  return new OverparamError('SWEEP_INVALID', message);
}

/** `i/n` (0 ≤ i < n) as a shard. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw invalid(`--shard: expected i/n with 0 ≤ i < n (e.g. 0/4), got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) throw invalid(`--shard: expected i/n with 0 ≤ i < n, got '${text}'`);
  return { index, count };
}

/**
 * The shard a job-array task runs, from its scheduler's environment: Slurm's
 * SLURM_ARRAY_TASK_ID (counted from SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT, or
 * Kubernetes' JOB_COMPLETION_INDEX with the count given (Indexed Jobs do not expose it).
 * Undefined when neither is set: the whole sweep runs here.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>, kubernetesCount?: number): Shard | undefined {
  const slurmId = env.SLURM_ARRAY_TASK_ID;
  if (slurmId !== undefined && slurmId !== '') {
    const count = Number(env.SLURM_ARRAY_TASK_COUNT);
    const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
    const index = Number(slurmId) - min;
    if (!Number.isInteger(count) || count < 1) throw invalid(`SLURM_ARRAY_TASK_ID is ${slurmId} but SLURM_ARRAY_TASK_COUNT is '${env.SLURM_ARRAY_TASK_COUNT}'; submit the sweep as a job array (--array=0-N)`);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw invalid(`SLURM_ARRAY_TASK_ID ${slurmId} (min ${min}) is outside an array of ${count} tasks; use --array=0-${count - 1}`);
    return { index, count };
  }
  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    if (kubernetesCount === undefined) throw invalid('JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job), but not the number of shards; pass --shard-count N (the Job\'s completions)');
    const index = Number(k8s);
    if (!Number.isInteger(index) || index < 0 || index >= kubernetesCount) throw invalid(`JOB_COMPLETION_INDEX ${k8s} is outside 0…${kubernetesCount - 1} (--shard-count ${kubernetesCount})`);
    return { index, count: kubernetesCount };
  }
  return undefined;
}

export function inShard<T>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard === undefined ? [...items] : items.filter((_, k) => k % shard.count === shard.index);
}
